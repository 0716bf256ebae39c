# The offline store's dataset: one feature-history table per stored feature view (the batch-processor
# MERGEs materialized rows into them and builds training sets from them) and the decision records.
# Every table is partitioned by day, so old days expire on their own and a query reads only the days it
# needs, and clustered by the entity a lookup starts from.

resource "google_bigquery_dataset" "this" {
  project     = var.project_id
  dataset_id  = var.dataset_id
  location    = var.location
  description = var.description
  # Also applies to partitioned tables the batch-processor creates itself (a view added after this apply).
  default_partition_expiration_ms = var.default_partition_expiration_days * 86400000
  delete_contents_on_destroy      = false
  labels                          = var.labels
}

resource "google_bigquery_table" "this" {
  for_each = var.tables

  project             = var.project_id
  dataset_id          = google_bigquery_dataset.this.dataset_id
  table_id            = each.key
  description         = each.value.description
  deletion_protection = var.deletion_protection
  schema              = each.value.schema
  clustering          = each.value.clustering
  labels              = var.labels

  time_partitioning {
    type          = "DAY"
    field         = each.value.partition_field
    expiration_ms = each.value.partition_expiration_days * 86400000
  }
}

resource "google_bigquery_dataset_iam_member" "writer" {
  for_each = toset(var.writers)

  project    = var.project_id
  dataset_id = google_bigquery_dataset.this.dataset_id
  role       = "roles/bigquery.dataEditor"
  member     = var.members[each.key]
}

resource "google_bigquery_dataset_iam_member" "reader" {
  for_each = toset(var.readers)

  project    = var.project_id
  dataset_id = google_bigquery_dataset.this.dataset_id
  role       = "roles/bigquery.dataViewer"
  member     = var.members[each.key]
}
