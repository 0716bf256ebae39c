output "network_id" {
  description = "The network's id (projects/<p>/global/networks/<name>), as Cloud SQL and Memorystore take it."
  value       = google_compute_network.this.id
}

output "network_name" {
  description = "The network's name."
  value       = google_compute_network.this.name
}

output "connector_id" {
  description = "The Serverless VPC Access connector, for the Cloud Run services' vpc_access."
  value       = google_vpc_access_connector.this.id
}

output "private_services_connection" {
  description = "The private services access peering; data stores with private IPs must be created after it."
  value       = google_service_networking_connection.private_services.id
}
