output "dataset_id" {
  description = "The dataset id."
  value       = google_bigquery_dataset.this.dataset_id
}

output "tables" {
  description = "Table id by name."
  value       = { for name, t in google_bigquery_table.this : name => t.id }
}
