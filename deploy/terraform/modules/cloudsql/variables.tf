variable "project_id" {
  description = "The Google Cloud project."
  type        = string
}

variable "region" {
  description = "Region of the primary (regional HA: two zones) and of the replicas."
  type        = string
}

variable "name" {
  description = "Instance name of the primary."
  type        = string
}

variable "network_id" {
  description = "The VPC network with private services access: the instances get private IPs only."
  type        = string
}

variable "database_version" {
  description = "PostgreSQL version."
  type        = string
  default     = "POSTGRES_16"
}

variable "tier" {
  description = "Machine tier of the primary."
  type        = string
  default     = "db-custom-2-7680"
}

variable "replica_tier" {
  description = "Machine tier of the read replicas (default: the primary's)."
  type        = string
  default     = null
}

variable "read_replicas" {
  description = "Number of read replicas."
  type        = number
  default     = 1

  validation {
    condition     = var.read_replicas >= 1
    error_message = "Keep at least one read replica."
  }
}

variable "database_name" {
  description = "The database the services use."
  type        = string
  default     = "bnpl"
}

variable "users" {
  description = "Database users, one per service."
  type        = list(string)
}

variable "max_replication_slots" {
  description = "Replication slots (and WAL senders): one per ingestor slot, plus room for a migration."
  type        = number
  default     = 10
}

variable "backup_start_time" {
  description = "Start of the daily backup window, HH:MM UTC."
  type        = string
  default     = "02:00"
}

variable "retained_backups" {
  description = "Daily backups kept."
  type        = number
  default     = 14
}

variable "transaction_log_retention_days" {
  description = "Days of WAL kept for point-in-time recovery (1-7 on the Enterprise edition)."
  type        = number
  default     = 7

  validation {
    condition     = var.transaction_log_retention_days >= 1 && var.transaction_log_retention_days <= 7
    error_message = "transaction_log_retention_days must be 1-7 on the Enterprise edition."
  }
}

variable "maintenance_day" {
  description = "Day of the maintenance window, 1 (Monday) to 7 (Sunday)."
  type        = number
  default     = 7
}

variable "maintenance_hour" {
  description = "Hour (UTC) of the maintenance window."
  type        = number
  default     = 4
}

variable "deletion_protection" {
  description = "Refuse to delete the instances (Terraform and API)."
  type        = bool
  default     = true
}

variable "labels" {
  description = "Labels on the instances."
  type        = map(string)
  default     = {}
}
