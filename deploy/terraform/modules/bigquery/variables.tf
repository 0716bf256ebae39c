variable "project_id" {
  description = "The Google Cloud project."
  type        = string
}

variable "dataset_id" {
  description = "The dataset (the batch-processor's BIGQUERY_DATASET)."
  type        = string
  default     = "bnpl_features"
}

variable "location" {
  description = "The dataset's location (EU, US or a region)."
  type        = string
}

variable "description" {
  description = "What the dataset holds."
  type        = string
  default     = "BNPL feature store offline store: feature history per view, decision records."
}

variable "default_partition_expiration_days" {
  description = "Partition expiration of tables created in the dataset without one of their own."
  type        = number
}

variable "tables" {
  description = "Tables by id: schema (a BigQuery JSON schema, as a string), the day-partitioning column and its expiration, the clustering columns."
  type = map(object({
    description               = string
    schema                    = string
    partition_field           = string
    partition_expiration_days = number
    clustering                = list(string)
  }))

  validation {
    condition     = alltrue([for t in var.tables : t.partition_expiration_days > 0 && length(t.clustering) > 0])
    error_message = "Every table needs a partition expiration and at least one clustering column."
  }
}

variable "members" {
  description = "IAM member by name, what writers and readers refer to."
  type        = map(string)
}

variable "writers" {
  description = "Names (keys of var.members) that write the dataset's tables (bigquery.dataEditor)."
  type        = list(string)
}

variable "readers" {
  description = "Names (keys of var.members) that only read them (bigquery.dataViewer)."
  type        = list(string)
  default     = []
}

variable "deletion_protection" {
  description = "Refuse to delete the tables."
  type        = bool
  default     = true
}

variable "labels" {
  description = "Labels on the dataset and tables."
  type        = map(string)
  default     = {}
}
