variable "project_id" {
  description = "The Google Cloud project."
  type        = string
}

variable "members" {
  description = "IAM member by name (a service's name, or another principal's): what publishers, subscribers and consumers below refer to."
  type        = map(string)
}

variable "topics" {
  description = "Topics by name, each with the members allowed to publish to it."
  type = map(object({
    publishers                 = optional(list(string), [])
    message_retention_duration = optional(string, "86400s")
  }))
}

variable "subscriptions" {
  description = "Durable pull subscriptions by name, shared by their subscribers' instances. Each dead-letters to <name>.dlq."
  type = map(object({
    topic       = string
    subscribers = list(string)
    # The services extend leases while a handler runs; a short deadline redelivers quickly after a crash.
    ack_deadline_seconds       = optional(number, 10)
    message_retention_duration = optional(string, "604800s")
    minimum_backoff            = optional(string, "1s")
    maximum_backoff            = optional(string, "60s")
    # The services' MESSAGING_MAX_DELIVERIES (5) plus one: the transport dead-letters first, with the error.
    max_delivery_attempts = optional(number, 6)
  }))

  validation {
    condition     = alltrue([for s in var.subscriptions : contains(keys(var.topics), s.topic)])
    error_message = "Every subscription's topic must be one of var.topics."
  }

  validation {
    condition     = alltrue([for s in var.subscriptions : s.max_delivery_attempts >= 5 && s.max_delivery_attempts <= 100])
    error_message = "max_delivery_attempts must be 5-100 (Pub/Sub's bounds)."
  }
}

variable "fan_out_consumers" {
  description = "Consumers that create one subscription per instance at start (each instance must see every message), by subscription-name prefix: they get the shared dead-letter topic <prefix>.dlq and the right to attach subscriptions to the topic."
  type = map(object({
    topic    = string
    consumer = string
  }))
  default = {}

  validation {
    condition     = alltrue([for c in var.fan_out_consumers : contains(keys(var.topics), c.topic)])
    error_message = "Every fan-out consumer's topic must be one of var.topics."
  }
}

variable "consumers_create_missing" {
  description = "The services create missing topics and subscriptions at start (the messaging adapter's default): they then attach subscriptions to their source and dead-letter topics, even when these exist."
  type        = bool
  default     = true
}

variable "dead_letter_retention" {
  description = "How long the dead-letter subscriptions keep a message (at most 31 days)."
  type        = string
  default     = "1209600s"
}

variable "labels" {
  description = "Labels on topics and subscriptions."
  type        = map(string)
  default     = {}
}
