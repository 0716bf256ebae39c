variable "project_id" {
  description = "The Google Cloud project."
  type        = string
}

variable "region" {
  description = "Region of the scheduler jobs and of the target service."
  type        = string
}

variable "service_account_id" {
  description = "Account id of the scheduler's service account."
  type        = string
  default     = "bnpl-scheduler"
}

variable "target_service_name" {
  description = "The rest-gateway Cloud Run service (granted to the scheduler's account as invoker)."
  type        = string
}

variable "target_url" {
  description = "The rest-gateway's https URL (also the OIDC audience)."
  type        = string
}

variable "schedules" {
  description = "Scheduled materialization jobs: a name, a cron expression in a time zone, and the job (POST /v1/jobs fields other than kind)."
  type = list(object({
    name        = string
    description = optional(string, "")
    cron        = string
    time_zone   = optional(string, "Etc/UTC")
    paused      = optional(bool, false)
    job = object({
      feature_service = optional(string)
      views           = optional(list(string))
      incremental     = optional(bool)
      shard_size      = optional(number)
    })
  }))

  validation {
    condition     = length(distinct([for s in var.schedules : s.name])) == length(var.schedules)
    error_message = "Schedule names must be unique."
  }

  validation {
    condition     = alltrue([for s in var.schedules : length(split(" ", trimspace(s.cron))) == 5])
    error_message = "cron must have five fields (minute hour day-of-month month day-of-week)."
  }
}
