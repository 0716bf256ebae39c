# One service account per service: what a service may do is granted to it alone, next to the resource
# concerned (topic, subscription, secret, dataset), never to a shared or default identity.

resource "google_service_account" "this" {
  for_each = toset(var.services)

  project      = var.project_id
  account_id   = "${var.prefix}-${each.key}"
  display_name = "${var.prefix} ${each.key}"
  description  = "Runs the ${each.key} Cloud Run service; granted only what ${each.key} needs."
}
