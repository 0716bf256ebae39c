# The four services. Plain settings are literal env maps (tools/deploy-checks reads them for secrets);
# DATABASE_URL and REDIS_URL always come from Secret Manager. Each service runs as its own account.

module "rest_gateway" {
  source = "../../modules/cloud-run-service"

  project_id            = var.project_id
  region                = var.region
  name                  = "${var.name_prefix}-rest-gateway"
  image                 = local.images["rest-gateway"]
  service_account_email = module.service_accounts.emails["rest-gateway"]
  vpc_connector_id      = module.network.connector_id
  ingress               = var.rest_gateway_ingress
  invokers              = var.rest_gateway_invokers
  container_port        = 3000
  cpu                   = var.services.rest_gateway.cpu
  memory                = var.services.rest_gateway.memory
  concurrency           = var.services.rest_gateway.concurrency
  min_instances         = var.services.rest_gateway.min_instances
  max_instances         = var.services.rest_gateway.max_instances
  # Its cache invalidation consumes feature updates between requests.
  cpu_always_allocated = true
  deletion_protection  = var.deletion_protection
  labels               = local.labels

  env = {
    LOG_LEVEL         = var.log_level
    ONLINE_STORE      = "redis"
    MESSAGING         = "pubsub"
    PUBSUB_PROJECT_ID = var.project_id
  }
  secret_env = {
    DATABASE_URL = { secret = module.secrets.secret_ids["${var.name_prefix}-rest-gateway-database-url"] }
    REDIS_URL    = { secret = module.secrets.secret_ids["${var.name_prefix}-redis-url"] }
  }

  # The account must be able to read its secrets and use its topics before a revision starts.
  depends_on = [module.secrets, module.pubsub, google_project_iam_member.service_roles]
}

module "grpc_serving" {
  source = "../../modules/cloud-run-service"

  project_id            = var.project_id
  region                = var.region
  name                  = "${var.name_prefix}-grpc-serving"
  image                 = local.images["grpc-serving"]
  service_account_email = module.service_accounts.emails["grpc-serving"]
  vpc_connector_id      = module.network.connector_id
  ingress               = var.grpc_serving_ingress
  invokers              = var.grpc_serving_invokers
  # gRPC end to end over HTTP/2 on the serving port; start-up probed through grpc.health.v1 there.
  container_port     = 50051
  http2              = true
  grpc_startup_probe = true
  # /health/live (liveness) and /metrics are on the HTTP/1 port inside the instance.
  health_port          = 3003
  cpu                  = var.services.grpc_serving.cpu
  memory               = var.services.grpc_serving.memory
  concurrency          = var.services.grpc_serving.concurrency
  min_instances        = var.services.grpc_serving.min_instances
  max_instances        = var.services.grpc_serving.max_instances
  cpu_always_allocated = true
  deletion_protection  = var.deletion_protection
  labels               = local.labels

  env = {
    LOG_LEVEL         = var.log_level
    GRPC_PORT         = "50051"
    HTTP_PORT         = "3003"
    ONLINE_STORE      = "redis"
    MESSAGING         = "pubsub"
    PUBSUB_PROJECT_ID = var.project_id
  }
  secret_env = {
    DATABASE_URL = { secret = module.secrets.secret_ids["${var.name_prefix}-grpc-serving-database-url"] }
    REDIS_URL    = { secret = module.secrets.secret_ids["${var.name_prefix}-redis-url"] }
  }

  depends_on = [module.secrets, module.pubsub, google_project_iam_member.service_roles]
}

module "batch_processor" {
  source = "../../modules/cloud-run-service"

  project_id            = var.project_id
  region                = var.region
  name                  = "${var.name_prefix}-batch-processor"
  image                 = local.images["batch-processor"]
  service_account_email = module.service_accounts.emails["batch-processor"]
  vpc_connector_id      = module.network.connector_id
  container_port        = 3001
  cpu                   = var.services.batch_processor.cpu
  memory                = var.services.batch_processor.memory
  concurrency           = var.services.batch_processor.concurrency
  min_instances         = var.services.batch_processor.min_instances
  max_instances         = var.services.batch_processor.max_instances
  # Shards arrive by pull, not by request: the CPU must stay allocated to run them.
  cpu_always_allocated = true
  deletion_protection  = var.deletion_protection
  labels               = local.labels

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
  secret_env = {
    DATABASE_URL = { secret = module.secrets.secret_ids["${var.name_prefix}-batch-processor-database-url"] }
    REDIS_URL    = { secret = module.secrets.secret_ids["${var.name_prefix}-redis-url"] }
  }

  depends_on = [module.secrets, module.pubsub, module.bigquery, google_project_iam_member.service_roles]
}

module "cdc_ingestor" {
  source = "../../modules/cloud-run-service"

  project_id            = var.project_id
  region                = var.region
  name                  = "${var.name_prefix}-cdc-ingestor"
  image                 = local.images["cdc-ingestor"]
  service_account_email = module.service_accounts.emails["cdc-ingestor"]
  vpc_connector_id      = module.network.connector_id
  container_port        = 3002
  cpu                   = var.services.cdc_ingestor.cpu
  memory                = var.services.cdc_ingestor.memory
  concurrency           = 10
  # Exactly one: one replication slot, streamed by one consumer at a time; it streams WAL between
  # requests, so its CPU is always allocated.
  min_instances        = 1
  max_instances        = 1
  cpu_always_allocated = true
  deletion_protection  = var.deletion_protection
  labels               = local.labels

  env = {
    LOG_LEVEL           = var.log_level
    ONLINE_STORE        = "redis"
    MESSAGING           = "pubsub"
    PUBSUB_PROJECT_ID   = var.project_id
    CDC_SLOT_NAME       = "bnpl_features"
    CDC_PUBLICATION     = "bnpl_features"
    CDC_MAX_LAG_SECONDS = "30"
  }
  secret_env = {
    # Its database user needs the REPLICATION attribute (see the README).
    DATABASE_URL = { secret = module.secrets.secret_ids["${var.name_prefix}-cdc-ingestor-database-url"] }
    REDIS_URL    = { secret = module.secrets.secret_ids["${var.name_prefix}-redis-url"] }
  }

  depends_on = [module.secrets, module.pubsub, google_project_iam_member.service_roles]
}
