variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "environment" {
  type    = string
  default = "prod"
}

variable "db_backup_retention_days" {
  description = "Days of automated RDS backups"
  type        = number
  default     = 14
}

variable "admin_cidrs" {
  description = "Networks allowed to reach the bastion over SSH"
  type        = list(string)
  default     = ["10.20.0.0/16"]
}
