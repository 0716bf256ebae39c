import { type Meter } from '@opentelemetry/api';
import { type ConsumerStats } from './transport/consumer-stats';

/**
 * The consumers' counters on the app's meter, read at scrape time. Dead letters are the messages this
 * process moved to a dead-letter topic: those topics' subscriptions keep them until an operator replays or
 * drops them, so their increase is the DLQ's growth (Pub/Sub's own backlog metric,
 * `subscription/num_undelivered_messages`, gives its depth in Cloud Monitoring).
 */
export function registerMessagingMetrics(meter: Meter, stats: ConsumerStats): void {
  meter
    .createObservableCounter('bnpl_messaging_messages', { description: 'Messages handled by this process, by topic and outcome (acked, retried: nacked for redelivery, dead_lettered)' })
    .addCallback((r) => {
      for (const { topic, outcome, count } of stats.outcomes()) r.observe(count, { topic, outcome });
    });
  meter
    .createObservableCounter('bnpl_messaging_dead_letters', { description: 'Messages this process moved to a dead-letter topic, by source topic, dead-letter topic and reason' })
    .addCallback((r) => {
      for (const { topic, deadLetterTopic, reason, count } of stats.deadLetters()) r.observe(count, { topic, dead_letter_topic: deadLetterTopic, reason });
    });
}
