# The four services: one module call per entry of local.cloud_run_services, which holds what differs
# between them. Plain settings are literal env maps (tools/deploy-checks reads them for secrets);
# DATABASE_URL (each service its own database user) and REDIS_URL always come from Secret Manager. Each
# service runs as its own account.

locals {
  cloud_run_services = {
    "rest-gateway" = {
      port        = 3000
      grpc        = false
      health_port = null
      ingress     = var.rest_gateway_ingress
      invokers    = var.rest_gateway_invokers
      sizing      = var.services.rest_gateway
      env = {
        LOG_LEVEL         = var.log_level
        ONLINE_STORE      = "redis"
        MESSAGING         = "pubsub"
        PUBSUB_PROJECT_ID = var.project_id
        # One worker process per vCPU: Node runs JavaScript on one core per process.
        SERVING_WORKERS = var.services.rest_gateway.cpu
        # A larger young generation for the serving apps (README "Configuration"; deploy-checks compares it).
        NODE_OPTIONS = "--max-semi-space-size=64"
      }
    }

    "grpc-serving" = {
      # gRPC end to end over HTTP/2 on the serving port, start-up probed through grpc.health.v1 there;
      # /health/live (liveness) and /metrics are on the HTTP/1 port inside the instance.
      port        = 50051
      grpc        = true
      health_port = 3003
      ingress     = var.grpc_serving_ingress
      invokers    = var.grpc_serving_invokers
      sizing      = var.services.grpc_serving
      env = {
        LOG_LEVEL         = var.log_level
        GRPC_PORT         = "50051"
        HTTP_PORT         = "3003"
        ONLINE_STORE      = "redis"
        MESSAGING         = "pubsub"
        PUBSUB_PROJECT_ID = var.project_id
        SERVING_WORKERS   = var.services.grpc_serving.cpu
        NODE_OPTIONS      = "--max-semi-space-size=64"
      }
    }

    "batch-processor" = {
      port        = 3001
      grpc        = false
      health_port = null
      ingress     = "INGRESS_TRAFFIC_INTERNAL_ONLY"
      invokers    = {}
      sizing      = var.services.batch_processor
      # No JOB_SCHEDULES_FILE: Cloud Scheduler submits the scheduled jobs (scheduler.tf).
      env = {
        LOG_LEVEL         = var.log_level
        ONLINE_STORE      = "redis"
        MESSAGING         = "pubsub"
        PUBSUB_PROJECT_ID = var.project_id
        OFFLINE_STORE     = "bigquery"
        BIGQUERY_PROJECT  = var.project_id
        BIGQUERY_DATASET  = module.bigquery.dataset_id
        BIGQUERY_LOCATION = var.bigquery_location
      }
    }

    "cdc-ingestor" = {
      port        = 3002
      grpc        = false
      health_port = null
      ingress     = "INGRESS_TRAFFIC_INTERNAL_ONLY"
      invokers    = {}
      # Exactly one instance: one replication slot, streamed by one consumer at a time. Its database user
      # needs the REPLICATION attribute (see the README).
      sizing = {
        cpu           = var.services.cdc_ingestor.cpu
        memory        = var.services.cdc_ingestor.memory
        concurrency   = 10
        min_instances = 1
        max_instances = 1
      }
      env = {
        LOG_LEVEL           = var.log_level
        ONLINE_STORE        = "redis"
        MESSAGING           = "pubsub"
        PUBSUB_PROJECT_ID   = var.project_id
        CDC_SLOT_NAME       = "bnpl_features"
        CDC_PUBLICATION     = "bnpl_features"
        CDC_MAX_LAG_SECONDS = "30"
      }
    }
  }
}

module "services" {
  source   = "../../modules/cloud-run-service"
  for_each = local.cloud_run_services

  project_id            = var.project_id
  region                = var.region
  name                  = "${var.name_prefix}-${each.key}"
  image                 = local.images[each.key]
  service_account_email = module.service_accounts.emails[each.key]
  vpc_connector_id      = module.network.connector_id
  ingress               = each.value.ingress
  invokers              = each.value.invokers
  container_port        = each.value.port
  http2                 = each.value.grpc
  grpc_startup_probe    = each.value.grpc
  health_port           = each.value.health_port
  cpu                   = each.value.sizing.cpu
  memory                = each.value.sizing.memory
  concurrency           = each.value.sizing.concurrency
  min_instances         = each.value.sizing.min_instances
  max_instances         = each.value.sizing.max_instances
  # Every service works between requests: the serving apps' cache invalidation consumes feature updates,
  # the batch-processor pulls shards, the ingestor streams WAL.
  cpu_always_allocated = true
  deletion_protection  = var.deletion_protection
  labels               = local.labels

  env = each.value.env
  secret_env = {
    DATABASE_URL = { secret = module.secrets.secret_ids["${var.name_prefix}-${each.key}-database-url"] }
    REDIS_URL    = { secret = module.secrets.secret_ids["${var.name_prefix}-redis-url"] }
  }

  # The account must be able to read its secrets, use its topics (and the batch-processor its dataset)
  # before a revision starts.
  depends_on = [module.secrets, module.pubsub, module.bigquery, google_project_iam_member.service_roles]
}
