# Secret Manager secrets (database URLs with their passwords, the Redis URL with its AUTH string), each
# readable only by the services named for it. Cloud Run mounts them as environment variables through
# secret_key_ref: no secret is ever a plain environment value.

resource "google_secret_manager_secret" "this" {
  for_each = var.secrets

  project   = var.project_id
  secret_id = each.key
  labels    = var.labels

  replication {
    auto {}
  }
}

resource "google_secret_manager_secret_version" "this" {
  for_each = var.secrets

  secret      = google_secret_manager_secret.this[each.key].id
  secret_data = var.secret_data[each.key]
}

locals {
  # Keys built from names known at plan time (secret/service), never from account emails, which are not.
  accessors = merge([
    for id, s in var.secrets : { for service in s.accessors : "${id}/${service}" => { secret = id, service = service } }
  ]...)
}

resource "google_secret_manager_secret_iam_member" "accessor" {
  for_each = local.accessors

  project   = var.project_id
  secret_id = google_secret_manager_secret.this[each.value.secret].secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = var.members[each.value.service]
}
