output "instance_name" {
  description = "Name of the primary."
  value       = google_sql_database_instance.primary.name
}

output "connection_name" {
  description = "project:region:instance of the primary."
  value       = google_sql_database_instance.primary.connection_name
}

output "private_ip" {
  description = "Private IP of the primary."
  value       = google_sql_database_instance.primary.private_ip_address
}

output "replica_private_ips" {
  description = "Private IPs of the read replicas."
  value       = google_sql_database_instance.replica[*].private_ip_address
}

output "database_urls" {
  description = "DATABASE_URL by user: postgres://<user>:<password>@<private IP>:5432/<db>, TLS without CA verification (the private network carries it; Cloud SQL's CA is not in the images). Secrets."
  value = {
    for u in var.users :
    u => "postgres://${u}:${random_password.user[u].result}@${google_sql_database_instance.primary.private_ip_address}:5432/${google_sql_database.this.name}?sslmode=no-verify"
  }
  sensitive = true
}
