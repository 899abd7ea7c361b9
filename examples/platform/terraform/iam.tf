data "aws_iam_policy_document" "deploy" {
  statement {
    sid       = "PushImages"
    actions   = ["ecr:PutImage", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload"]
    resources = ["arn:aws:ecr:${var.region}:${data.aws_caller_identity.current.account_id}:repository/acme/*"]
  }
}

resource "aws_iam_policy" "deploy" {
  name   = "${local.name}-deploy"
  policy = data.aws_iam_policy_document.deploy.json
}

resource "aws_iam_role" "break_glass" {
  name = "${local.name}-break-glass"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::123456789012:root" }
      Action    = "sts:AssumeRole"
      Condition = { Bool = { "aws:MultiFactorAuthPresent" = "true" } }
    }]
  })
}

# Full admin attached inline to a role used by CI (deliberate violation).
resource "aws_iam_role_policy" "ci_admin" {
  name = "ci-admin"
  role = aws_iam_role.break_glass.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "*"
      Resource = "*"
    }]
  })
}
