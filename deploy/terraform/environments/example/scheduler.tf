module "scheduler" {
  source = "../../modules/scheduler"

  project_id          = var.project_id
  region              = var.region
  service_account_id  = "${var.name_prefix}-scheduler"
  target_service_name = module.rest_gateway.name
  target_url          = module.rest_gateway.uri
  schedules           = var.job_schedules

  depends_on = [google_project_service.apis]
}
