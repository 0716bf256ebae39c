# The schedules are the ones the batch-processors run outside Google Cloud (JOB_SCHEDULES_FILE): one
# file, deploy/job-schedules.json by default, so both submit the same jobs on the same cron.
locals {
  job_schedules_file = var.job_schedules_file != "" ? var.job_schedules_file : "${path.module}/../../../job-schedules.json"
}

module "scheduler" {
  source = "../../modules/scheduler"

  project_id          = var.project_id
  region              = var.region
  service_account_id  = "${var.name_prefix}-scheduler"
  target_service_name = module.services["rest-gateway"].name
  target_url          = module.services["rest-gateway"].uri
  schedules           = jsondecode(file(local.job_schedules_file))

  depends_on = [google_project_service.apis]
}
