# Provider v3 style: the versioning block on the bucket itself.
resource "aws_s3_bucket" "ledger_exports" {
  bucket = "acme-ledger-exports"
  versioning {
    enabled = true
  }
}
