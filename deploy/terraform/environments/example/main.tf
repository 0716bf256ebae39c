# An example environment of the BNPL feature store: the four services on Cloud Run with their data
# stores, messaging, offline store, secrets and schedules. Copy the directory per environment.

locals {
  services = ["rest-gateway", "grpc-serving", "batch-processor", "cdc-ingestor"]
  labels   = { app = "bnpl-feature-store" }
  images   = { for s in local.services : s => "${var.region}-docker.pkg.dev/${var.project_id}/${google_artifact_registry_repository.images.repository_id}/${s}:${var.image_tag}" }
}

resource "google_project_service" "apis" {
  for_each = toset([
    "artifactregistry.googleapis.com",
    "bigquery.googleapis.com",
    "cloudscheduler.googleapis.com",
    "compute.googleapis.com",
    "iam.googleapis.com",
    "pubsub.googleapis.com",
    "redis.googleapis.com",
    "run.googleapis.com",
    "secretmanager.googleapis.com",
    "servicenetworking.googleapis.com",
    "sqladmin.googleapis.com",
    "vpcaccess.googleapis.com",
  ])

  project            = var.project_id
  service            = each.key
  disable_on_destroy = false
}

resource "google_artifact_registry_repository" "images" {
  project       = var.project_id
  location      = var.region
  repository_id = var.name_prefix
  format        = "DOCKER"
  description   = "The feature store's service images (deploy/docker/Dockerfile)."
  labels        = local.labels

  depends_on = [google_project_service.apis]
}

module "network" {
  source = "../../modules/network"

  project_id     = var.project_id
  region         = var.region
  name           = "${var.name_prefix}-network"
  connector_name = "${var.name_prefix}-connector"

  depends_on = [google_project_service.apis]
}

module "service_accounts" {
  source = "../../modules/service-accounts"

  project_id = var.project_id
  prefix     = var.name_prefix
  services   = local.services

  depends_on = [google_project_service.apis]
}

module "cloudsql" {
  source = "../../modules/cloudsql"

  project_id                     = var.project_id
  region                         = var.region
  name                           = "${var.name_prefix}-source"
  network_id                     = module.network.network_id
  tier                           = var.sql_tier
  read_replicas                  = var.sql_read_replicas
  transaction_log_retention_days = var.sql_transaction_log_retention_days
  retained_backups               = var.sql_retained_backups
  users                          = [for s in local.services : "bnpl_${replace(s, "-", "_")}"]
  deletion_protection            = var.deletion_protection
  labels                         = local.labels

  # Private IPs come from the peered range: the peering must exist first.
  depends_on = [module.network]
}

module "redis" {
  source = "../../modules/redis"

  project_id          = var.project_id
  region              = var.region
  name                = "${var.name_prefix}-online-store"
  network_id          = module.network.network_id
  memory_size_gb      = var.redis_memory_size_gb
  rdb_snapshot_period = var.redis_rdb_snapshot_period
  labels              = local.labels

  depends_on = [module.network]
}

module "secrets" {
  source = "../../modules/secrets"

  project_id = var.project_id
  members    = module.service_accounts.members
  labels     = local.labels

  # Each service reads its own database URL (its own database user) and the Redis URL.
  secrets = merge(
    { for s in local.services : "${var.name_prefix}-${s}-database-url" => { accessors = [s] } },
    { "${var.name_prefix}-redis-url" = { accessors = local.services } },
  )
  secret_data = merge(
    { for s in local.services : "${var.name_prefix}-${s}-database-url" => module.cloudsql.database_urls["bnpl_${replace(s, "-", "_")}"] },
    { "${var.name_prefix}-redis-url" = module.redis.url },
  )
}

module "pubsub" {
  source = "../../modules/pubsub"

  project_id = var.project_id
  members    = merge(module.service_accounts.members, var.decision_record_publishers)
  labels     = local.labels

  # Who publishes what, as the code does: rest-gateway submits jobs (shards and progress), the
  # batch-processor reports progress and queues further shards (a job's window, lost ones again), the
  # cdc-ingestor announces feature updates and publishes the history it recomputes.
  topics = {
    "bnpl.jobs.requests"     = { publishers = ["rest-gateway", "batch-processor"] }
    "bnpl.jobs.progress"     = { publishers = ["rest-gateway", "batch-processor"] }
    "bnpl.features.updates"  = { publishers = ["cdc-ingestor"] }
    "bnpl.features.history"  = { publishers = ["cdc-ingestor"], message_retention_duration = "604800s" }
    "bnpl.decisions.records" = { publishers = keys(var.decision_record_publishers), message_retention_duration = "604800s" }
  }

  subscriptions = {
    # The batch-processors share one subscription: each shard goes to one of them.
    "batch-processor.jobs" = { topic = "bnpl.jobs.requests", subscribers = ["batch-processor"] }
    # Decision records for the offline store (the batch-processor is the only BigQuery writer); kept a week
    # until consumed.
    "batch-processor.decision-records" = { topic = "bnpl.decisions.records", subscribers = ["batch-processor"], ack_deadline_seconds = 60 }
    # The stream's history for the offline store; it must exist before the cdc-ingestor publishes (a topic
    # without subscriptions keeps nothing).
    "batch-processor.history" = { topic = "bnpl.features.history", subscribers = ["batch-processor"], ack_deadline_seconds = 60 }
  }

  # Every serving instance invalidates its cache from every feature update: a subscription per instance.
  fan_out_consumers = {
    "rest-gateway.feature-updates" = { topic = "bnpl.features.updates", consumer = "rest-gateway" }
    "grpc-serving.feature-updates" = { topic = "bnpl.features.updates", consumer = "grpc-serving" }
  }

  depends_on = [google_project_service.apis]
}

module "bigquery" {
  source = "../../modules/bigquery"

  project_id                        = var.project_id
  location                          = var.bigquery_location
  dataset_id                        = "bnpl_features"
  default_partition_expiration_days = var.feature_history_retention_days
  members                           = module.service_accounts.members
  writers                           = ["batch-processor"]
  deletion_protection               = var.deletion_protection
  labels                            = local.labels

  tables = merge(
    {
      for view, fields in jsondecode(file("${path.module}/../../schemas/feature-history.json")) : view => {
        description               = "Feature history of the ${view} view: one row per entity and as-of instant."
        schema                    = jsonencode(fields)
        partition_field           = "event_timestamp"
        partition_expiration_days = var.feature_history_retention_days
        clustering                = ["entity_id"]
      }
    },
    {
      decision_records = {
        description     = "Decision records: what was decided for a customer, with the features as served."
        schema          = file("${path.module}/../../schemas/decision-records.json")
        partition_field = "decided_at"
        # 31 days a month: never shorter than the calendar months asked for.
        partition_expiration_days = var.decision_records_retention_months * 31
        clustering                = ["customer_id", "merchant_id"]
      }
    },
  )

  depends_on = [google_project_service.apis]
}
