# Cloud SQL for PostgreSQL: the source of truth the features are computed from, and the WAL the
# cdc-ingestor decodes (pgoutput through a logical replication slot).

resource "google_sql_database_instance" "primary" {
  project             = var.project_id
  name                = var.name
  region              = var.region
  database_version    = var.database_version
  deletion_protection = var.deletion_protection

  settings {
    tier                        = var.tier
    edition                     = "ENTERPRISE"
    availability_type           = "REGIONAL"
    disk_type                   = "PD_SSD"
    disk_autoresize             = true
    deletion_protection_enabled = var.deletion_protection
    user_labels                 = var.labels

    ip_configuration {
      ipv4_enabled                                  = false
      private_network                               = var.network_id
      ssl_mode                                      = "ENCRYPTED_ONLY"
      enable_private_path_for_google_cloud_services = true
    }

    backup_configuration {
      enabled    = true
      start_time = var.backup_start_time
      # Point-in-time recovery: WAL is archived and kept transaction_log_retention_days.
      point_in_time_recovery_enabled = true
      transaction_log_retention_days = var.transaction_log_retention_days

      backup_retention_settings {
        retained_backups = var.retained_backups
        retention_unit   = "COUNT"
      }
    }

    # wal_level=logical: the cdc-ingestor's pgoutput slot.
    database_flags {
      name  = "cloudsql.logical_decoding"
      value = "on"
    }

    database_flags {
      name  = "max_replication_slots"
      value = tostring(var.max_replication_slots)
    }

    database_flags {
      name  = "max_wal_senders"
      value = tostring(var.max_replication_slots)
    }

    maintenance_window {
      day          = var.maintenance_day
      hour         = var.maintenance_hour
      update_track = "stable"
    }

    insights_config {
      query_insights_enabled = true
    }
  }
}

# Read replicas: reporting and ad-hoc queries off the primary, and a warm copy in case of disaster.
# Logical replication slots live on the primary only: the ingestor never points here.
resource "google_sql_database_instance" "replica" {
  count = var.read_replicas

  project              = var.project_id
  name                 = "${var.name}-replica-${count.index}"
  region               = var.region
  database_version     = var.database_version
  master_instance_name = google_sql_database_instance.primary.name
  deletion_protection  = var.deletion_protection

  settings {
    tier              = var.replica_tier == null ? var.tier : var.replica_tier
    edition           = "ENTERPRISE"
    availability_type = "ZONAL"
    disk_type         = "PD_SSD"
    disk_autoresize   = true
    user_labels       = var.labels

    ip_configuration {
      ipv4_enabled    = false
      private_network = var.network_id
      ssl_mode        = "ENCRYPTED_ONLY"
    }
  }
}

resource "google_sql_database" "this" {
  project  = var.project_id
  name     = var.database_name
  instance = google_sql_database_instance.primary.name
}

# One database user per service, so that a leaked URL is one service's and can be rotated alone.
resource "random_password" "user" {
  for_each = toset(var.users)

  length = 32
  # Letters and digits only: the password goes into a URL unescaped.
  special = false
}

resource "google_sql_user" "this" {
  for_each = toset(var.users)

  project  = var.project_id
  name     = each.key
  instance = google_sql_database_instance.primary.name
  password = random_password.user[each.key].result
}
