variable "project_id" {
  description = "The Google Cloud project."
  type        = string
}

variable "secrets" {
  description = "Secrets by secret id, each with the services (keys of var.members) that may read it."
  type = map(object({
    accessors = list(string)
  }))
}

variable "secret_data" {
  description = "The value of each secret in var.secrets, by secret id."
  type        = map(string)
  sensitive   = true
}

variable "members" {
  description = "IAM member by service name (the service-accounts module's members output)."
  type        = map(string)
}

variable "labels" {
  description = "Labels on every secret."
  type        = map(string)
  default     = {}
}
