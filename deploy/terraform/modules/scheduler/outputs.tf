output "service_account_email" {
  description = "The scheduler's service account."
  value       = google_service_account.scheduler.email
}

output "jobs" {
  description = "Scheduler job id by name."
  value       = { for name, j in google_cloud_scheduler_job.this : name => j.id }
}
