variable "project_id" {
  description = "The Google Cloud project."
  type        = string
}

variable "region" {
  description = "Region of the instance (its primary and replica are in two zones of it)."
  type        = string
}

variable "name" {
  description = "Instance name."
  type        = string
}

variable "network_id" {
  description = "The VPC network with private services access (network module's network_id)."
  type        = string
}

variable "memory_size_gb" {
  description = "Memory in GB (the catalog's full feature set is about 300 bytes of values per customer, plus keys)."
  type        = number
  default     = 5
}

variable "redis_version" {
  description = "Redis version."
  type        = string
  default     = "REDIS_7_2"
}

variable "rdb_snapshot_period" {
  description = "How often an RDB snapshot is taken. Memorystore for Redis offers one hour at the shortest (no 15-minute period, no AOF)."
  type        = string
  default     = "ONE_HOUR"

  validation {
    condition     = contains(["ONE_HOUR", "SIX_HOURS", "TWELVE_HOURS", "TWENTY_FOUR_HOURS"], var.rdb_snapshot_period)
    error_message = "rdb_snapshot_period must be ONE_HOUR, SIX_HOURS, TWELVE_HOURS or TWENTY_FOUR_HOURS."
  }
}

variable "maintenance_day" {
  description = "Day of the weekly maintenance window."
  type        = string
  default     = "SUNDAY"
}

variable "maintenance_hour" {
  description = "Hour (UTC) the weekly maintenance window starts."
  type        = number
  default     = 3
}

variable "labels" {
  description = "Labels on the instance."
  type        = map(string)
  default     = {}
}
