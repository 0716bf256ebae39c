output "secret_ids" {
  description = "Secret id by secret id, to reference from secret_key_ref (and to order the services after the secrets)."
  value       = { for id, s in google_secret_manager_secret.this : id => s.secret_id }
}

output "versions" {
  description = "The version holding each secret's current value (Cloud Run reads `latest`)."
  value       = { for id, v in google_secret_manager_secret_version.this : id => v.id }
}
