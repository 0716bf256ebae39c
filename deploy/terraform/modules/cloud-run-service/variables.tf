variable "project_id" {
  description = "The Google Cloud project."
  type        = string
}

variable "region" {
  description = "Region of the service."
  type        = string
}

variable "name" {
  description = "Service name."
  type        = string
}

variable "image" {
  description = "Container image (Artifact Registry), built by deploy/docker/Dockerfile with --build-arg APP=<service>."
  type        = string
}

variable "service_account_email" {
  description = "The service's own service account; never shared with another service."
  type        = string
}

variable "container_port" {
  description = "The port Cloud Run sends requests to (HTTP, or gRPC with http2)."
  type        = number
}

variable "http2" {
  description = "Serve end-to-end HTTP/2 (h2c), as gRPC requires."
  type        = bool
  default     = false
}

variable "health_port" {
  description = "The HTTP port of /health/ready and /health/live (and /metrics); default the container port."
  type        = number
  default     = null
}

variable "grpc_startup_probe" {
  description = "Probe start-up with the standard gRPC health service on the container port instead of GET /health/ready."
  type        = bool
  default     = false
}

variable "startup_probe" {
  description = "Start-up probe timing: Cloud Run allows period x failures up to 240 s."
  type = object({
    period_seconds    = optional(number, 2)
    timeout_seconds   = optional(number, 2)
    failure_threshold = optional(number, 60)
  })
  default = {}

  validation {
    condition     = var.startup_probe.period_seconds * var.startup_probe.failure_threshold <= 240
    error_message = "period_seconds x failure_threshold may not exceed 240 s."
  }
}

variable "liveness_probe" {
  description = "Liveness probe timing."
  type = object({
    period_seconds    = optional(number, 10)
    timeout_seconds   = optional(number, 3)
    failure_threshold = optional(number, 3)
  })
  default = {}
}

variable "cpu" {
  description = "vCPUs per instance."
  type        = string
  default     = "1"
}

variable "memory" {
  description = "Memory per instance."
  type        = string
  default     = "512Mi"
}

variable "concurrency" {
  description = "Requests an instance takes at once."
  type        = number
  default     = 80
}

variable "min_instances" {
  description = "Instances kept running."
  type        = number
  default     = 1
}

variable "max_instances" {
  description = "Instances at most."
  type        = number
  default     = 10

  validation {
    condition     = var.max_instances >= var.min_instances
    error_message = "max_instances must be at least min_instances."
  }
}

variable "cpu_always_allocated" {
  description = "Keep CPU allocated outside requests (services that consume messages or stream in the background)."
  type        = bool
  default     = true
}

variable "request_timeout" {
  description = "How long a request may take."
  type        = string
  default     = "300s"
}

variable "env" {
  description = "Plain environment variables. Nothing secret: secrets go in secret_env."
  type        = map(string)
  default     = {}

  validation {
    # Cloud Run sets PORT itself; the services read HOST/PORT/GRPC_PORT/HTTP_PORT.
    condition     = !contains(keys(var.env), "PORT")
    error_message = "PORT is reserved by Cloud Run."
  }
}

variable "secret_env" {
  description = "Environment variables read from Secret Manager: name => { secret (id), version }."
  type = map(object({
    secret  = string
    version = optional(string, "latest")
  }))
  default = {}
}

variable "vpc_connector_id" {
  description = "Serverless VPC Access connector to the private IPs of Cloud SQL and Memorystore."
  type        = string
}

variable "ingress" {
  description = "Who may reach the service: INGRESS_TRAFFIC_INTERNAL_ONLY, INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER or INGRESS_TRAFFIC_ALL (callers still need run.invoker)."
  type        = string
  default     = "INGRESS_TRAFFIC_INTERNAL_ONLY"
}

variable "invokers" {
  description = "Principals allowed to call the service (roles/run.invoker), by a name of your choosing."
  type        = map(string)
  default     = {}
}

variable "deletion_protection" {
  description = "Refuse to delete the service."
  type        = bool
  default     = true
}

variable "labels" {
  description = "Labels on the service."
  type        = map(string)
  default     = {}
}
