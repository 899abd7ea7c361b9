resource "aws_db_subnet_group" "main" {
  name       = "${local.name}-db"
  subnet_ids = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]
}

resource "aws_db_instance" "ledger" {
  identifier              = "${local.name}-ledger"
  engine                  = "postgres"
  engine_version          = "16.3"
  instance_class          = "db.r6g.large"
  allocated_storage       = 200
  storage_encrypted       = true
  kms_key_id              = aws_kms_key.data.arn
  publicly_accessible     = false
  backup_retention_period = var.db_backup_retention_days
  db_subnet_group_name    = aws_db_subnet_group.main.name
  username                = "ledger_admin"
  manage_master_user_password = true
  deletion_protection     = true
  tags                    = local.tags
}

# Analytics database set up by the data team: no automated backups (deliberate violation; its waiver expired).
resource "aws_db_instance" "analytics" {
  identifier              = "${local.name}-analytics"
  engine                  = "postgres"
  instance_class          = "db.t4g.medium"
  allocated_storage       = 50
  storage_encrypted       = true
  publicly_accessible     = false
  backup_retention_period = 0
  db_subnet_group_name    = aws_db_subnet_group.main.name
  username                = "analytics"
  manage_master_user_password = true
  tags                    = local.tags
}
