# Memorystore for Redis: the online store. STANDARD_HA keeps a replica in another zone with automatic
# failover; RDB snapshots let a failed-over or restarted instance come back with its keys instead of
# empty (the store can be rebuilt by a full materialization, but that takes time and load on the source).

resource "google_redis_instance" "this" {
  project        = var.project_id
  name           = var.name
  display_name   = "BNPL feature store online store"
  region         = var.region
  tier           = "STANDARD_HA"
  memory_size_gb = var.memory_size_gb
  redis_version  = var.redis_version
  replica_count  = 1

  authorized_network = var.network_id
  connect_mode       = "PRIVATE_SERVICE_ACCESS"
  auth_enabled       = true
  # The services' Redis client has no setting for Memorystore's private CA, so TLS is off; traffic stays
  # on the private network (peered range), and AUTH is required.
  transit_encryption_mode = "DISABLED"

  redis_configs = {
    # Evicting would silently drop features; a full store must fail writes loudly instead.
    "maxmemory-policy" = "noeviction"
  }

  persistence_config {
    persistence_mode    = "RDB"
    rdb_snapshot_period = var.rdb_snapshot_period
  }

  maintenance_policy {
    weekly_maintenance_window {
      day = var.maintenance_day
      start_time {
        hours   = var.maintenance_hour
        minutes = 0
        seconds = 0
        nanos   = 0
      }
    }
  }

  labels = var.labels

  lifecycle {
    prevent_destroy = true
  }
}
