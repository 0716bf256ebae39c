output "emails" {
  description = "Service account email by service."
  value       = { for s, a in google_service_account.this : s => a.email }
}

output "members" {
  description = "IAM member (serviceAccount:<email>) by service."
  value       = { for s, a in google_service_account.this : s => "serviceAccount:${a.email}" }
}
