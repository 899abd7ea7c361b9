resource "aws_s3_bucket" "site" {
  bucket = "acme-site"
  tags = {
    DataClass = "public"
  }
}
