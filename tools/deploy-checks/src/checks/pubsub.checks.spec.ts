import { TerraformConfig } from '../hcl/terraform-config';
import { DEPLOY_TERRAFORM, LOAD_TIMEOUT_MS, loadEdited } from '../testing/deploy-tree';
import { checkDeadLetterIam, checkSubscriptions } from './pubsub.checks';

/** A subscription dead-lettering to a kept topic, with both grants the service agent needs. */
const GOOD = `
locals {
  agent = "serviceAccount:service-1@gcp-sa-pubsub.iam.gserviceaccount.com"
}
resource "google_pubsub_topic" "source" {
  name = "jobs"
}
resource "google_pubsub_topic" "dlq" {
  for_each = var.subs
  name     = "\${each.key}.dlq"
}
resource "google_pubsub_subscription" "sub" {
  for_each = var.subs
  name     = each.key
  topic    = google_pubsub_topic.source.id
  retry_policy {
    minimum_backoff = "1s"
    maximum_backoff = "60s"
  }
  dead_letter_policy {
    dead_letter_topic     = google_pubsub_topic.dlq[each.key].id
    max_delivery_attempts = 6
  }
}
resource "google_pubsub_subscription" "keeper" {
  for_each = var.subs
  name     = "\${each.key}.dlq"
  topic    = google_pubsub_topic.dlq[each.key].id
  retry_policy {
    minimum_backoff = "10s"
    maximum_backoff = "600s"
  }
}
resource "google_pubsub_topic_iam_member" "agent" {
  for_each = var.subs
  topic    = google_pubsub_topic.dlq[each.key].name
  role     = "roles/pubsub.publisher"
  member   = local.agent
}
resource "google_pubsub_subscription_iam_member" "agent" {
  for_each     = var.subs
  subscription = google_pubsub_subscription.sub[each.key].name
  role         = "roles/pubsub.subscriber"
  member       = local.agent
}
`;

const fixture = (edit: (hcl: string) => string = (h) => h) => TerraformConfig.fromSources({ 'main.tf': edit(GOOD) });

describe('Pub/Sub subscriptions and dead letters', () => {
  it('pass on deploy/terraform', async () => {
    const config = await TerraformConfig.load(DEPLOY_TERRAFORM);
    expect(config.resources('google_pubsub_subscription').length).toBeGreaterThanOrEqual(2);
    expect(checkSubscriptions(config)).toEqual([]);
    expect(checkDeadLetterIam(config)).toEqual([]);
  }, LOAD_TIMEOUT_MS);

  it('pass on a well-formed fixture', async () => {
    const config = await fixture();
    expect(checkSubscriptions(config)).toEqual([]);
    expect(checkDeadLetterIam(config)).toEqual([]);
  });

  it('flag a subscription without a dead-letter policy', async () => {
    const config = await fixture((h) => h.replace(/ {2}dead_letter_policy \{[^}]*\}\n/, ''));
    // Its former dead-letter topic is now an ordinary topic, so its keeper needs a policy too.
    expect(checkSubscriptions(config)).toEqual(['google_pubsub_subscription.keeper (main.tf): no dead_letter_policy', 'google_pubsub_subscription.sub (main.tf): no dead_letter_policy']);
  });

  it('flag a subscription without a retry policy, the dead-letter keepers included', async () => {
    const config = await fixture((h) => h.replace(/ {2}retry_policy \{[^}]*\}\n/g, ''));
    expect(checkSubscriptions(config).sort()).toEqual([
      'google_pubsub_subscription.keeper (main.tf): no retry_policy with minimum_backoff and maximum_backoff',
      'google_pubsub_subscription.sub (main.tf): no retry_policy with minimum_backoff and maximum_backoff',
    ]);
  });

  it('flag a dead-letter topic that no subscription keeps', async () => {
    const config = await fixture((h) => h.replace(/resource "google_pubsub_subscription" "keeper" \{[\s\S]*?\n\}\n/, ''));
    expect(checkSubscriptions(config)).toEqual([expect.stringContaining('google_pubsub_topic.dlq (main.tf): a dead-letter topic without a subscription')]);
  });

  it('flag a dead-letter topic the service agent may not publish to', async () => {
    const config = await fixture((h) => h.replace('role     = "roles/pubsub.publisher"', 'role     = "roles/pubsub.viewer"'));
    expect(checkDeadLetterIam(config)).toEqual([expect.stringContaining('google_pubsub_topic.dlq (main.tf): the Pub/Sub service agent is not granted roles/pubsub.publisher')]);
  });

  it('flag a grant that does not cover every instance of the dead-letter topic', async () => {
    const config = await fixture((h) => h.replace(/(resource "google_pubsub_topic_iam_member" "agent" \{\n) {2}for_each = var.subs/, '$1  for_each = var.some_subs'));
    expect(checkDeadLetterIam(config)).toEqual([expect.stringContaining('google_pubsub_topic.dlq')]);
  });

  it('flag a grant to someone other than the Pub/Sub service agent', async () => {
    const config = await fixture((h) => h.replace(/gcp-sa-pubsub/, 'gcp-sa-other'));
    expect(checkDeadLetterIam(config)).toHaveLength(2);
  });

  it('flag a dead-lettering subscription the service agent may not subscribe to', async () => {
    const config = await fixture((h) => h.replace(/resource "google_pubsub_subscription_iam_member" "agent" \{[\s\S]*?\n\}\n/, ''));
    expect(checkDeadLetterIam(config)).toEqual([expect.stringContaining('google_pubsub_subscription.sub (main.tf): the Pub/Sub service agent is not granted roles/pubsub.subscriber')]);
  });

  it('catch a subscription in deploy/terraform losing its dead-letter policy', async () => {
    const config = await loadEdited('modules/pubsub/main.tf', / {2}dead_letter_policy \{[\s\S]*?\n {2}\}\n/, '');
    expect(checkSubscriptions(config)).toContain('google_pubsub_subscription.this (modules/pubsub/main.tf): no dead_letter_policy');
  }, LOAD_TIMEOUT_MS);

  it('catch the service agent losing publish on the dead-letter topics in deploy/terraform', async () => {
    const config = await loadEdited('modules/pubsub/main.tf', /member {2}= local\.service_agent/, 'member  = var.members["batch-processor"]');
    expect(checkDeadLetterIam(config)).toEqual([expect.stringContaining('google_pubsub_topic.dead_letter (modules/pubsub/main.tf)')]);
  }, LOAD_TIMEOUT_MS);
});
