# Project-level grants, each as narrow as the permission allows. Everything that can be granted on a
# resource is granted there, in its module (topics, subscriptions, secrets, dataset, services).

# The services' readiness check lists topics (one page of one): nothing else of Pub/Sub is readable.
resource "google_project_iam_custom_role" "pubsub_readiness" {
  project     = var.project_id
  role_id     = "${var.name_prefix}PubsubReadiness"
  title       = "BNPL Pub/Sub readiness"
  description = "List topics: the services' messaging readiness check."
  permissions = ["pubsub.topics.list"]
}

# The messaging adapter creates missing topics and subscriptions at start (createMissing, on by default;
# existing ones are kept as they are), and the serving apps create a subscription per instance: creating
# is a project-level permission. Once the services can start with createMissing off, only the serving apps
# need subscriptions.create.
resource "google_project_iam_custom_role" "pubsub_self_provisioning" {
  project     = var.project_id
  role_id     = "${var.name_prefix}PubsubSelfProvisioning"
  title       = "BNPL Pub/Sub self-provisioning"
  description = "Create topics and subscriptions (the services ensure theirs exist at start)."
  permissions = ["pubsub.topics.create", "pubsub.subscriptions.create"]
}

# A serving instance consumes and, at shutdown, deletes the subscription it created; the names are only
# known at run time, so the grant cannot be made on the subscriptions themselves.
resource "google_project_iam_custom_role" "pubsub_instance_subscriptions" {
  project     = var.project_id
  role_id     = "${var.name_prefix}PubsubInstanceSubscriptions"
  title       = "BNPL per-instance subscriptions"
  description = "Consume and delete subscriptions (the serving apps' per-instance feature-update subscriptions)."
  permissions = ["pubsub.subscriptions.consume", "pubsub.subscriptions.delete"]
}

locals {
  project_roles = merge(
    { for s in local.services : "pubsub-readiness/${s}" => { role = google_project_iam_custom_role.pubsub_readiness.name, service = s } },
    { for s in ["rest-gateway", "grpc-serving", "batch-processor"] : "pubsub-self-provisioning/${s}" => { role = google_project_iam_custom_role.pubsub_self_provisioning.name, service = s } },
    { for s in ["rest-gateway", "grpc-serving"] : "pubsub-instance-subscriptions/${s}" => { role = google_project_iam_custom_role.pubsub_instance_subscriptions.name, service = s } },
    # Load, query and MERGE jobs run in the project; the tables they touch are granted on the dataset.
    { "bigquery-job-user/batch-processor" = { role = "roles/bigquery.jobUser", service = "batch-processor" } },
  )
}

resource "google_project_iam_member" "service_roles" {
  for_each = local.project_roles

  project = var.project_id
  role    = each.value.role
  member  = module.service_accounts.members[each.value.service]
}
