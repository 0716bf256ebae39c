# Topics, the services' durable subscriptions, and a dead-letter topic for every consumer, following the
# messaging adapter's conventions: a subscription <name> dead-letters to the topic <name>.dlq, whose
# subscription of the same name keeps the dead letters for inspection and replay; the serving apps'
# per-instance subscriptions (created at start, prefix <app>.feature-updates) share <prefix>.dlq.

data "google_project" "this" {
  project_id = var.project_id
}

locals {
  # Pub/Sub forwards dead letters (and acks them on the source subscription) as this agent.
  service_agent = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-pubsub.iam.gserviceaccount.com"

  # Every dead-letter topic, with the consumers that publish to it: the services' transport itself
  # dead-letters a message once its handler has failed MESSAGING_MAX_DELIVERIES times.
  dead_letter_topics = merge(
    { for name, s in var.subscriptions : "${name}.dlq" => { consumers = s.subscribers } },
    { for prefix, c in var.fan_out_consumers : "${prefix}.dlq" => { consumers = [c.consumer] } },
  )

  topic_publishers = merge([
    for topic, t in var.topics : { for p in t.publishers : "${topic}/${p}" => { topic = topic, member = p } }
  ]...)

  dead_letter_publishers = merge([
    for topic, t in local.dead_letter_topics : { for c in t.consumers : "${topic}/${c}" => { topic = topic, member = c } }
  ]...)

  subscribers = merge([
    for name, s in var.subscriptions : { for m in s.subscribers : "${name}/${m}" => { subscription = name, member = m } }
  ]...)

  # Topics a consumer attaches subscriptions to: the fan-out consumers always (their per-instance
  # subscriptions), and, while the services create what is missing at start, every consumer its source
  # topic and its dead-letter topic (creating the subscription that keeps the dead letters).
  attachers = merge(
    { for prefix, c in var.fan_out_consumers : "${c.topic}/${c.consumer}" => { topic = c.topic, member = c.consumer, dead_letter = false } },
    var.consumers_create_missing ? merge([
      for name, s in var.subscriptions : { for m in s.subscribers : "${s.topic}/${m}" => { topic = s.topic, member = m, dead_letter = false } }
    ]...) : {},
    var.consumers_create_missing ? merge([
      for topic, t in local.dead_letter_topics : { for c in t.consumers : "${topic}/${c}" => { topic = topic, member = c, dead_letter = true } }
    ]...) : {},
  )
}

resource "google_pubsub_topic" "this" {
  for_each = var.topics

  project                    = var.project_id
  name                       = each.key
  message_retention_duration = each.value.message_retention_duration
  labels                     = var.labels
}

resource "google_pubsub_topic" "dead_letter" {
  for_each = local.dead_letter_topics

  project = var.project_id
  name    = each.key
  labels  = var.labels
}

resource "google_pubsub_subscription" "this" {
  for_each = var.subscriptions

  project                    = var.project_id
  name                       = each.key
  topic                      = google_pubsub_topic.this[each.value.topic].id
  ack_deadline_seconds       = each.value.ack_deadline_seconds
  message_retention_duration = each.value.message_retention_duration
  labels                     = var.labels

  # A durable subscription never expires for want of consumers (the default is 31 days idle).
  expiration_policy {
    ttl = ""
  }

  # Back off redeliveries after a nack instead of retrying a failing message in a tight loop.
  retry_policy {
    minimum_backoff = each.value.minimum_backoff
    maximum_backoff = each.value.maximum_backoff
  }

  # Pub/Sub counts deliveries across consumers and forwards a message no consumer ever finished (one
  # that crashes the process) once the transport's own limit has been passed.
  dead_letter_policy {
    dead_letter_topic     = google_pubsub_topic.dead_letter["${each.key}.dlq"].id
    max_delivery_attempts = each.value.max_delivery_attempts
  }

  depends_on = [google_pubsub_topic_iam_member.dead_letter_service_agent]
}

# The subscription that keeps each dead-letter topic's messages (a message published to a topic without
# subscriptions is lost). It is the end of the line: it has no dead-letter policy of its own, and its
# messages stay until someone inspects or replays them, or the retention passes.
resource "google_pubsub_subscription" "dead_letter" {
  for_each = local.dead_letter_topics

  project                    = var.project_id
  name                       = each.key
  topic                      = google_pubsub_topic.dead_letter[each.key].id
  ack_deadline_seconds       = 60
  message_retention_duration = var.dead_letter_retention
  labels                     = var.labels

  expiration_policy {
    ttl = ""
  }

  retry_policy {
    minimum_backoff = "10s"
    maximum_backoff = "600s"
  }
}

# --- IAM ---------------------------------------------------------------------------------------------

resource "google_pubsub_topic_iam_member" "publisher" {
  for_each = local.topic_publishers

  project = var.project_id
  topic   = google_pubsub_topic.this[each.value.topic].name
  role    = "roles/pubsub.publisher"
  member  = var.members[each.value.member]
}

resource "google_pubsub_topic_iam_member" "dead_letter_publisher" {
  for_each = local.dead_letter_publishers

  project = var.project_id
  topic   = google_pubsub_topic.dead_letter[each.value.topic].name
  role    = "roles/pubsub.publisher"
  member  = var.members[each.value.member]
}

resource "google_pubsub_subscription_iam_member" "subscriber" {
  for_each = local.subscribers

  project      = var.project_id
  subscription = google_pubsub_subscription.this[each.value.subscription].name
  role         = "roles/pubsub.subscriber"
  member       = var.members[each.value.member]
}

# roles/pubsub.subscriber on a topic grants pubsub.topics.attachSubscription, nothing more on it.
resource "google_pubsub_topic_iam_member" "attacher" {
  for_each = local.attachers

  project = var.project_id
  topic   = each.value.dead_letter ? google_pubsub_topic.dead_letter[each.value.topic].name : google_pubsub_topic.this[each.value.topic].name
  role    = "roles/pubsub.subscriber"
  member  = var.members[each.value.member]
}

# What dead-lettering requires of the Pub/Sub service agent: publish to every dead-letter topic ...
resource "google_pubsub_topic_iam_member" "dead_letter_service_agent" {
  for_each = local.dead_letter_topics

  project = var.project_id
  topic   = google_pubsub_topic.dead_letter[each.key].name
  role    = "roles/pubsub.publisher"
  member  = local.service_agent
}

# ... and subscribe to every subscription that dead-letters (to ack what it forwarded).
resource "google_pubsub_subscription_iam_member" "dead_letter_service_agent" {
  for_each = var.subscriptions

  project      = var.project_id
  subscription = google_pubsub_subscription.this[each.key].name
  role         = "roles/pubsub.subscriber"
  member       = local.service_agent
}
