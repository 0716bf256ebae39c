variable "project_id" {
  description = "The Google Cloud project."
  type        = string
}

variable "prefix" {
  description = "Prefix of the account ids: <prefix>-<service>."
  type        = string
  default     = "bnpl"
}

variable "services" {
  description = "The services, one account each."
  type        = list(string)

  validation {
    # An account id is 6-30 characters.
    condition     = alltrue([for s in var.services : length(s) <= 24 && can(regex("^[a-z][-a-z0-9]*[a-z0-9]$", s))])
    error_message = "Each service name must be lower-case letters, digits and hyphens, at most 24 characters."
  }
}
