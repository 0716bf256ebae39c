output "topics" {
  description = "Topic id by name."
  value       = { for name, t in google_pubsub_topic.this : name => t.id }
}

output "subscriptions" {
  description = "Subscription id by name."
  value       = { for name, s in google_pubsub_subscription.this : name => s.id }
}

output "dead_letter_topics" {
  description = "Dead-letter topic id by name (each kept by a subscription of the same name)."
  value       = { for name, t in google_pubsub_topic.dead_letter : name => t.id }
}

output "service_agent" {
  description = "The Pub/Sub service agent, granted what dead-lettering requires."
  value       = local.service_agent
}
