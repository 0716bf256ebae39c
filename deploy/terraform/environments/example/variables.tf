variable "project_id" {
  description = "The Google Cloud project to deploy into."
  type        = string
}

variable "region" {
  description = "Region of the services, the data stores and the scheduler."
  type        = string
  default     = "europe-west2"
}

variable "name_prefix" {
  description = "Prefix of resource names."
  type        = string
  default     = "bnpl"
}

variable "image_tag" {
  description = "Tag of the four service images in the Artifact Registry repository this creates (<region>-docker.pkg.dev/<project>/<prefix>/<service>:<tag>)."
  type        = string
}

variable "log_level" {
  description = "LOG_LEVEL of every service."
  type        = string
  default     = "log"
}

variable "services" {
  description = "Sizing of the horizontally scaled services: cpu in whole vCPUs (the serving apps run one worker process per vCPU, SERVING_WORKERS). The serving apps' 2Gi hold two workers of up to about 650 MB each at peak with their 64 MiB young generation (NODE_OPTIONS in services.tf). (cdc-ingestor is pinned to one instance: one replication slot, one consumer.)"
  type = object({
    rest_gateway = optional(object({
      cpu           = optional(string, "2")
      memory        = optional(string, "2Gi")
      concurrency   = optional(number, 200)
      min_instances = optional(number, 2)
      max_instances = optional(number, 10)
    }), {})
    grpc_serving = optional(object({
      cpu           = optional(string, "2")
      memory        = optional(string, "2Gi")
      concurrency   = optional(number, 200)
      min_instances = optional(number, 2)
      max_instances = optional(number, 10)
    }), {})
    batch_processor = optional(object({
      cpu           = optional(string, "2")
      memory        = optional(string, "2Gi")
      concurrency   = optional(number, 10)
      min_instances = optional(number, 1)
      max_instances = optional(number, 5)
    }), {})
    cdc_ingestor = optional(object({
      cpu    = optional(string, "2")
      memory = optional(string, "1Gi")
    }), {})
  })
  default = {}
}

variable "rest_gateway_ingress" {
  description = "Ingress of rest-gateway (INGRESS_TRAFFIC_INTERNAL_ONLY, INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER or INGRESS_TRAFFIC_ALL)."
  type        = string
  default     = "INGRESS_TRAFFIC_INTERNAL_ONLY"
}

variable "grpc_serving_ingress" {
  description = "Ingress of grpc-serving."
  type        = string
  default     = "INGRESS_TRAFFIC_INTERNAL_ONLY"
}

variable "rest_gateway_invokers" {
  description = "Principals that may call rest-gateway (roles/run.invoker), by a name of your choosing, e.g. { decision_engine = \"serviceAccount:...\" }."
  type        = map(string)
  default     = {}
}

variable "grpc_serving_invokers" {
  description = "Principals that may call grpc-serving (roles/run.invoker)."
  type        = map(string)
  default     = {}
}

variable "decision_record_publishers" {
  description = "Principals that publish decision records to bnpl.decisions.records (the decision engine), by a name of your choosing."
  type        = map(string)
  default     = {}
}

variable "redis_memory_size_gb" {
  description = "Memorystore capacity in GB."
  type        = number
  default     = 5
}

variable "redis_rdb_snapshot_period" {
  description = "Memorystore RDB snapshot period (ONE_HOUR is the shortest Memorystore offers)."
  type        = string
  default     = "ONE_HOUR"
}

variable "sql_tier" {
  description = "Cloud SQL machine tier of the primary."
  type        = string
  default     = "db-custom-2-7680"
}

variable "sql_read_replicas" {
  description = "Cloud SQL read replicas."
  type        = number
  default     = 1
}

variable "sql_transaction_log_retention_days" {
  description = "Days of WAL kept for point-in-time recovery (1-7)."
  type        = number
  default     = 7
}

variable "sql_retained_backups" {
  description = "Daily Cloud SQL backups kept."
  type        = number
  default     = 14
}

variable "bigquery_location" {
  description = "Location of the offline store dataset."
  type        = string
  default     = "EU"
}

variable "feature_history_retention_days" {
  description = "Days of feature history kept (partition expiration of the feature-history tables): how far back training sets can reach."
  type        = number
  default     = 1095
}

variable "decision_records_retention_months" {
  description = "Months decision records are kept (partition expiration of decision_records)."
  type        = number
  default     = 25
}

variable "job_schedules_file" {
  description = "JSON file of the scheduled jobs Cloud Scheduler submits to rest-gateway (name, five-field cron, time zone, the materialization job); default deploy/job-schedules.json, the file the batch-processors read as JOB_SCHEDULES_FILE elsewhere."
  type        = string
  default     = ""
}

variable "deletion_protection" {
  description = "Protect the data stores and services from deletion."
  type        = bool
  default     = true
}
