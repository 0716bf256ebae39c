output "service_urls" {
  description = "The services' URLs (rest-gateway and grpc-serving are the ones callers use)."
  value       = { for name, service in module.services : name => service.uri }
}

output "image_repository" {
  description = "Where to push the images: <repository>/<service>:<image_tag>."
  value       = "${var.region}-docker.pkg.dev/${var.project_id}/${google_artifact_registry_repository.images.repository_id}"
}

output "service_accounts" {
  description = "Service account email by service."
  value       = module.service_accounts.emails
}

output "cloudsql_connection_name" {
  description = "The source database (for the Cloud SQL Auth Proxy when running migrations)."
  value       = module.cloudsql.connection_name
}

output "redis_host" {
  description = "Memorystore's private IP."
  value       = module.redis.host
}

output "dead_letter_topics" {
  description = "Dead-letter topics, each kept by a subscription of the same name."
  value       = keys(module.pubsub.dead_letter_topics)
}
