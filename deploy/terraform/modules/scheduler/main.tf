# Scheduled batch jobs: Cloud Scheduler submits a job to rest-gateway's POST /v1/jobs, which records it,
# splits it into shards and publishes them on bnpl.jobs.requests for the batch-processors. (A message
# published straight to the topic would not do: a shard message names a job the jobs table must hold,
# and is a protobuf JobRequest.) Scheduler authenticates with an OIDC token of its own service account,
# the only principal given run.invoker for it.

resource "google_service_account" "scheduler" {
  project      = var.project_id
  account_id   = var.service_account_id
  display_name = "BNPL job scheduler"
  description  = "Cloud Scheduler's identity when it submits scheduled jobs to rest-gateway."
}

resource "google_cloud_run_v2_service_iam_member" "scheduler_invoker" {
  project  = var.project_id
  location = var.region
  name     = var.target_service_name
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.scheduler.email}"
}

resource "google_cloud_scheduler_job" "this" {
  for_each = { for s in var.schedules : s.name => s }

  project     = var.project_id
  region      = var.region
  name        = each.key
  description = each.value.description
  schedule    = each.value.cron
  time_zone   = each.value.time_zone
  paused      = each.value.paused
  # The API answers 202 as soon as the job is recorded and its shards are queued.
  attempt_deadline = "60s"

  # A repeated submission only runs the same job twice: materialization overwrites what it writes.
  retry_config {
    retry_count          = 2
    min_backoff_duration = "30s"
    max_backoff_duration = "300s"
    max_doublings        = 2
  }

  http_target {
    http_method = "POST"
    uri         = "${var.target_url}/v1/jobs"
    headers = {
      "Content-Type" = "application/json"
    }
    # The CreateJobRequest body, without the fields left out (the API rejects nulls).
    body = base64encode(jsonencode({ for k, v in merge(each.value.job, { kind = "materialize" }) : k => v if v != null }))

    oidc_token {
      service_account_email = google_service_account.scheduler.email
      audience              = var.target_url
    }
  }

  depends_on = [google_cloud_run_v2_service_iam_member.scheduler_invoker]
}
