# The companion names its bucket through a variable without a value: it may be this bucket's.
variable "bucket_name" {
  type = string
}

resource "aws_s3_bucket" "archive" {
  bucket = "acme-archive"
}

resource "aws_s3_bucket_versioning" "maybe_archive" {
  bucket = var.bucket_name
  versioning_configuration {
    status = "Enabled"
  }
}
