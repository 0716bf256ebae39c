variable "project_id" {
  description = "The Google Cloud project."
  type        = string
}

variable "region" {
  description = "Region of the Serverless VPC Access connector (the Cloud Run services' region)."
  type        = string
}

variable "name" {
  description = "Name of the VPC network."
  type        = string
}

variable "private_services_prefix_length" {
  description = "Size of the range reserved for private services access (Cloud SQL, Memorystore)."
  type        = number
  default     = 16
}

variable "connector_name" {
  description = "Name of the Serverless VPC Access connector (at most 25 characters)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][-a-z0-9]{0,23}[a-z0-9]$", var.connector_name))
    error_message = "connector_name must be 2-25 lower-case letters, digits and hyphens, starting with a letter."
  }
}

variable "connector_cidr" {
  description = "An unused /28 of the network for the connector's instances."
  type        = string
  default     = "10.8.0.0/28"
}

variable "connector_machine_type" {
  description = "Machine type of the connector's instances."
  type        = string
  default     = "e2-micro"
}

variable "connector_min_instances" {
  description = "Connector instances always running (at least 2)."
  type        = number
  default     = 2
}

variable "connector_max_instances" {
  description = "Connector instances at most (at most 10)."
  type        = number
  default     = 4
}
