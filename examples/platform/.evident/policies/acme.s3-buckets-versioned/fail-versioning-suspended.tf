resource "aws_s3_bucket" "reports" {
  bucket = "acme-reports"
  tags = {
    DataClass = "confidential"
  }
}

resource "aws_s3_bucket_versioning" "reports" {
  bucket = aws_s3_bucket.reports.id
  versioning_configuration {
    status = "Suspended"
  }
}
