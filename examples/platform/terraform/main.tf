# Acme Payments — production platform (example for `evident scan`).
terraform {
  required_version = ">= 1.6"
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.0" }
  }
}

provider "aws" {
  region = var.region
}

locals {
  name = "acme-${var.environment}"
  tags = {
    Environment = var.environment
    Owner       = "platform@acme.example"
    DataClass   = "restricted"
  }
  audit_buckets = toset(["cloudtrail", "alb"])
}

data "aws_caller_identity" "current" {}

# --- Customer data -----------------------------------------------------------------------------

resource "aws_kms_key" "data" {
  description         = "Customer data at rest"
  enable_key_rotation = true
  tags                = local.tags
}

resource "aws_s3_bucket" "customer_uploads" {
  bucket = "${local.name}-customer-uploads"
  tags   = local.tags
}

resource "aws_s3_bucket_server_side_encryption_configuration" "customer_uploads" {
  bucket = aws_s3_bucket.customer_uploads.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.data.arn
    }
  }
}

resource "aws_s3_bucket_public_access_block" "customer_uploads" {
  bucket                  = aws_s3_bucket.customer_uploads.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_logging" "customer_uploads" {
  bucket        = aws_s3_bucket.customer_uploads.id
  target_bucket = module.audit_logs["alb"].bucket_id
  target_prefix = "s3/customer-uploads/"
}

resource "aws_s3_bucket_versioning" "customer_uploads" {
  bucket = aws_s3_bucket.customer_uploads.id
  versioning_configuration {
    status = "Enabled"
  }
}

# Public marketing site assets: deliberately public, waived in evident.yaml.
resource "aws_s3_bucket" "marketing_assets" {
  bucket = "${local.name}-marketing-assets"
  tags   = merge(local.tags, { DataClass = "public" })
}

resource "aws_s3_bucket_acl" "marketing_assets" {
  bucket = aws_s3_bucket.marketing_assets.id
  acl    = "public-read"
}

resource "aws_s3_bucket_public_access_block" "marketing_assets" {
  bucket                  = aws_s3_bucket.marketing_assets.id
  block_public_acls       = false
  ignore_public_acls      = false
  block_public_policy     = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "marketing_assets" {
  bucket = aws_s3_bucket.marketing_assets.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_logging" "marketing_assets" {
  bucket        = aws_s3_bucket.marketing_assets.id
  target_bucket = module.audit_logs["alb"].bucket_id
  target_prefix = "s3/marketing-assets/"
}

# Audit log buckets, one per log source.
module "audit_logs" {
  source   = "./modules/log-bucket"
  for_each = local.audit_buckets

  name        = "${local.name}-${each.key}-logs"
  kms_key_arn = aws_kms_key.data.arn
  tags        = local.tags
}

resource "aws_cloudtrail" "org" {
  name                          = "${local.name}-trail"
  s3_bucket_name                = module.audit_logs["cloudtrail"].bucket_id
  is_multi_region_trail         = true
  include_global_service_events = true
  enable_log_file_validation    = true
  kms_key_id                    = aws_kms_key.data.arn
}
