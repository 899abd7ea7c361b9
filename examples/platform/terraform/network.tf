resource "aws_security_group" "web" {
  name        = "${local.name}-web"
  description = "Public HTTPS load balancer"
  vpc_id      = "vpc-0123456789abcdef0"

  ingress {
    description = "HTTPS from the internet"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  egress {
    description = "To the app tier"
    from_port   = 8080
    to_port     = 8080
    protocol    = "tcp"
    cidr_blocks = ["10.20.0.0/16"]
  }
}

resource "aws_security_group" "bastion" {
  name        = "${local.name}-bastion"
  description = "SSH bastion"
  vpc_id      = "vpc-0123456789abcdef0"
}

resource "aws_security_group_rule" "bastion_ssh" {
  for_each          = toset(var.admin_cidrs)
  type              = "ingress"
  security_group_id = aws_security_group.bastion.id
  description       = "SSH from admin networks"
  from_port         = 22
  to_port           = 22
  protocol          = "tcp"
  cidr_blocks       = [each.value]
}

# "Temporary" debugging rule left behind: SSH and RDP ranges open to the world (deliberate violation).
resource "aws_security_group_rule" "debug_admin" {
  type              = "ingress"
  security_group_id = aws_security_group.bastion.id
  description       = "TEMP debug access"
  from_port         = 0
  to_port           = 3389
  protocol          = "tcp"
  cidr_blocks       = ["0.0.0.0/0"]
}
