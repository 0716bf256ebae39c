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
  meter.createObservableGauge('bnpl_messaging_handlers_in_flight', { description: 'Message handlers running now, by topic (job shards being run, on bnpl.jobs.requests)' }).addCallback((r) => {
    for (const { topic, count } of stats.inFlight()) r.observe(count, { topic });
  });
  const duration = meter.createHistogram('bnpl_messaging_handler_duration_seconds', {
    description: 'Seconds from a delivery to its ack, nack or dead letter, by topic and outcome (a job shard run, a cache invalidation)',
    advice: { explicitBucketBoundaries: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 120, 300, 600, 1800] },
  });
  stats.observeDurations((topic, outcome, seconds) => duration.record(seconds, { topic, outcome }));
}
