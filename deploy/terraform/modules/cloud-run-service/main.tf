# One of the feature store's services on Cloud Run, from the image deploy/docker/Dockerfile builds.
# Probes use the services' own health endpoints: /health/ready (every dependency reachable) gates
# traffic at start, /health/live (the process answers) restarts a stuck instance. A liveness probe on
# readiness would restart every instance while Redis or the database is down, which cures nothing.

resource "google_cloud_run_v2_service" "this" {
  project             = var.project_id
  name                = var.name
  location            = var.region
  ingress             = var.ingress
  deletion_protection = var.deletion_protection
  labels              = var.labels

  template {
    service_account                  = var.service_account_email
    max_instance_request_concurrency = var.concurrency
    execution_environment            = "EXECUTION_ENVIRONMENT_GEN2"
    timeout                          = var.request_timeout

    scaling {
      min_instance_count = var.min_instances
      max_instance_count = var.max_instances
    }

    vpc_access {
      connector = var.vpc_connector_id
      # Only the private ranges (Cloud SQL, Memorystore) go through the connector; Google APIs do not.
      egress = "PRIVATE_RANGES_ONLY"
    }

    containers {
      image = var.image

      ports {
        # h2c: end-to-end HTTP/2 without TLS, which gRPC needs; http1 otherwise.
        name           = var.http2 ? "h2c" : "http1"
        container_port = var.container_port
      }

      resources {
        limits = {
          cpu    = var.cpu
          memory = var.memory
        }
        # false: CPU stays allocated between requests (background work: consumers, the WAL stream).
        cpu_idle          = !var.cpu_always_allocated
        startup_cpu_boost = true
      }

      dynamic "env" {
        for_each = var.env
        content {
          name  = env.key
          value = env.value
        }
      }

      dynamic "env" {
        for_each = var.secret_env
        content {
          name = env.key
          value_source {
            secret_key_ref {
              secret  = env.value.secret
              version = env.value.version
            }
          }
        }
      }

      startup_probe {
        period_seconds    = var.startup_probe.period_seconds
        timeout_seconds   = var.startup_probe.timeout_seconds
        failure_threshold = var.startup_probe.failure_threshold

        dynamic "http_get" {
          for_each = var.grpc_startup_probe ? [] : [1]
          content {
            path = "/health/ready"
            port = var.health_port
          }
        }

        # The standard grpc.health.v1 service on the serving port; its "" status mirrors /health/ready.
        dynamic "grpc" {
          for_each = var.grpc_startup_probe ? [1] : []
          content {
            port = var.container_port
          }
        }
      }

      liveness_probe {
        period_seconds    = var.liveness_probe.period_seconds
        timeout_seconds   = var.liveness_probe.timeout_seconds
        failure_threshold = var.liveness_probe.failure_threshold

        http_get {
          path = "/health/live"
          port = var.health_port
        }
      }
    }
  }

  traffic {
    type    = "TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST"
    percent = 100
  }
}

resource "google_cloud_run_v2_service_iam_member" "invoker" {
  for_each = var.invokers

  project  = var.project_id
  location = google_cloud_run_v2_service.this.location
  name     = google_cloud_run_v2_service.this.name
  role     = "roles/run.invoker"
  member   = each.value
}
