output "host" {
  description = "Private IP of the primary endpoint (it follows a failover)."
  value       = google_redis_instance.this.host
}

output "port" {
  description = "Port of the primary endpoint."
  value       = google_redis_instance.this.port
}

output "url" {
  description = "redis://:<AUTH>@<host>:<port>, the services' REDIS_URL: a secret."
  value       = "redis://:${urlencode(google_redis_instance.this.auth_string)}@${google_redis_instance.this.host}:${google_redis_instance.this.port}"
  sensitive   = true
}
