import { block, blocks, resourceRefs } from '../hcl/hcl-values';
import type { TerraformConfig, TfResource } from '../hcl/terraform-config';
import { where, type DeployCheck } from './check';
import { coversEveryInstance, grantsOn, membersOf, resolveLocal } from './iam-targets';

const SERVICE_AGENT = /@gcp-sa-pubsub\.iam\.gserviceaccount\.com/;
const TOPIC = 'google_pubsub_topic';
const SUBSCRIPTION = 'google_pubsub_subscription';

/**
 * Every subscription backs off its redeliveries (retry_policy) and has a dead-letter topic
 * (dead_letter_policy) - except the subscriptions that keep a dead-letter topic's messages, the end of
 * the line - and every dead-letter topic is kept by a subscription (a topic without one drops messages).
 */
export const checkSubscriptions: DeployCheck = (config) => {
  const problems: string[] = [];
  for (const dir of config.dirs) {
    const subscriptions = config.resources(SUBSCRIPTION, dir);
    const deadLetterTopics = deadLetterTopicsOf(config, dir);
    for (const s of subscriptions) {
      const label = where(s, s.address);
      const retry = block(s.body, 'retry_policy');
      if (!retry?.['minimum_backoff'] || !retry['maximum_backoff']) problems.push(`${label}: no retry_policy with minimum_backoff and maximum_backoff`);
      if (isDeadLetterKeeper(s, deadLetterTopics)) continue;
      const policy = block(s.body, 'dead_letter_policy');
      if (!policy) {
        problems.push(`${label}: no dead_letter_policy`);
        continue;
      }
      if (policy['max_delivery_attempts'] === undefined) problems.push(`${label}: dead_letter_policy without max_delivery_attempts`);
      if (resourceRefs(policy['dead_letter_topic'], TOPIC).length === 0) {
        problems.push(`${label}: dead_letter_policy.dead_letter_topic is not a ${TOPIC} of this module, so its IAM cannot be checked`);
      }
    }
    for (const topic of deadLetterTopics) {
      if (!subscriptions.some((s) => resourceRefs(s.body['topic'], TOPIC).includes(topic.name))) {
        problems.push(`${where(topic, topic.address)}: a dead-letter topic without a subscription keeping its messages (they would be dropped)`);
      }
    }
  }
  return problems;
};

/**
 * What dead-lettering requires of the Pub/Sub service agent, for every instance: roles/pubsub.publisher
 * on each dead-letter topic and roles/pubsub.subscriber on each subscription that dead-letters.
 */
export const checkDeadLetterIam: DeployCheck = (config) => {
  const problems: string[] = [];
  for (const dir of config.dirs) {
    for (const topic of deadLetterTopicsOf(config, dir)) {
      const grants = grantsOn(config, dir, ['google_pubsub_topic_iam_member', 'google_pubsub_topic_iam_binding'], 'topic', topic, 'roles/pubsub.publisher');
      if (!grants.some((g) => toServiceAgent(config, g) && coversEveryInstance(g, topic))) {
        problems.push(`${where(topic, topic.address)}: the Pub/Sub service agent is not granted roles/pubsub.publisher on every instance of this dead-letter topic`);
      }
    }
    for (const s of config.resources(SUBSCRIPTION, dir).filter((r) => block(r.body, 'dead_letter_policy'))) {
      const grants = grantsOn(config, dir, ['google_pubsub_subscription_iam_member', 'google_pubsub_subscription_iam_binding'], 'subscription', s, 'roles/pubsub.subscriber');
      if (!grants.some((g) => toServiceAgent(config, g) && coversEveryInstance(g, s))) {
        problems.push(`${where(s, s.address)}: the Pub/Sub service agent is not granted roles/pubsub.subscriber on every instance of this dead-lettering subscription`);
      }
    }
  }
  return problems;
};

/** The topics of `dir` that some subscription's dead_letter_policy sends to. */
function deadLetterTopicsOf(config: TerraformConfig, dir: string): TfResource[] {
  const names = new Set(
    config.resources(SUBSCRIPTION, dir).flatMap((s) => blocks(s.body, 'dead_letter_policy').flatMap((p) => resourceRefs(p.body['dead_letter_topic'], TOPIC))),
  );
  return config.resources(TOPIC, dir).filter((t) => names.has(t.name));
}

function isDeadLetterKeeper(subscription: TfResource, deadLetterTopics: readonly TfResource[]): boolean {
  const topics = resourceRefs(subscription.body['topic'], TOPIC);
  return deadLetterTopics.some((t) => topics.includes(t.name));
}

function toServiceAgent(config: TerraformConfig, iam: TfResource): boolean {
  return membersOf(iam).some((m) => {
    const resolved = resolveLocal(config, iam.dir, m);
    return typeof resolved === 'string' && SERVICE_AGENT.test(resolved);
  });
}
