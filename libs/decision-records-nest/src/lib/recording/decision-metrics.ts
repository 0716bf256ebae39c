import type { Meter } from '@opentelemetry/api';
import type { MetricsRegistry, RequestHistogram } from '@bnpl/platform';
import type { Catalog, ValueType } from '@bnpl/feature-definitions';
import type { DecisionBuffer, DecisionDraft } from '@bnpl/decision-records';

const STATUSES = ['PRESENT', 'DEFAULT', 'STALE', 'MISSING'] as const;
const STATUS_INDEX: Readonly<Record<string, number>> = { PRESENT: 0, DEFAULT: 1, STALE: 2, MISSING: 3 };

/** Bucket bounds of ratio features (utilization may pass 1). */
const RATIO_BUCKETS = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.25, 1.5, 2, 5];
/** Bucket bounds of money features, in minor units (0 to 100,000.00). */
const AMOUNT_BUCKETS = [0, 1_000, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000, 1_000_000, 2_500_000, 10_000_000];
/** Bucket bounds of count features. */
const COUNT_BUCKETS = [0, 1, 2, 3, 5, 10, 20, 50, 100];

/**
 * Business metrics of the served vectors, taken from each record as it is sealed (off the request's
 * path): the share of each status per feature (counts kept in plain arrays, read at scrape time) and the
 * distribution of the key features named in DECISIONS_METRIC_FEATURES, plus the buffer's own counters.
 */
export class DecisionMetrics {
  /** feature -> counts per status (STATUSES order). */
  readonly #statuses = new Map<string, number[]>();
  readonly #ratio: RequestHistogram;
  readonly #amount: RequestHistogram;
  readonly #count: RequestHistogram;
  /** Key feature -> its value type (features the catalog does not know are left out). */
  readonly #keyFeatures: ReadonlyMap<string, ValueType>;

  constructor(meter: Meter, registry: Pick<MetricsRegistry, 'requestHistogram'>, buffer: DecisionBuffer, catalog: Catalog, keyFeatures: readonly string[]) {
    this.#keyFeatures = new Map(keyFeatures.flatMap((ref) => {
      try {
        return [[ref, catalog.getFeature(ref).feature.valueType] as const];
      } catch {
        return [];
      }
    }));
    // The registry's histograms, not the meter's: a record of 100 rows observes hundreds of values, and an
    // OpenTelemetry histogram hashes its attributes on every one (about 5 % of a 100-customer call's CPU).
    this.#ratio = registry.requestHistogram('bnpl_decision_served_ratio', 'Served values of key DOUBLE features (DECISIONS_METRIC_FEATURES), by feature', ['feature'], RATIO_BUCKETS);
    this.#amount = registry.requestHistogram('bnpl_decision_served_amount_minor', 'Served values of key MONEY features in minor units, by feature and currency', ['feature', 'currency'], AMOUNT_BUCKETS);
    this.#count = registry.requestHistogram('bnpl_decision_served_count', 'Served values of key INT64 features, by feature', ['feature'], COUNT_BUCKETS);
    meter.createObservableCounter('bnpl_decision_feature_status', { description: 'Served values by feature and status (PRESENT, DEFAULT, STALE, MISSING): the share of defaults and stale values per feature' }).addCallback((r) => {
      for (const [feature, counts] of this.#statuses) STATUSES.forEach((status, i) => r.observe(counts[i], { feature, status }));
    });
    const stats = () => buffer.stats();
    const counter = (name: string, description: string, read: (s: ReturnType<typeof stats>) => number) => meter.createObservableCounter(name, { description }).addCallback((r) => r.observe(read(stats())));
    counter('bnpl_decisions_recorded', 'Decisions numbered and kept for publishing', (s) => s.recorded);
    counter('bnpl_decisions_dropped', 'Decisions served without a record (DECISIONS_ON_BACKLOG=drop, buffer full)', (s) => s.dropped);
    counter('bnpl_decisions_rejected', 'Decisions refused with 503 / UNAVAILABLE because they could not be recorded (DECISIONS_ON_BACKLOG=reject)', (s) => s.rejected);
    counter('bnpl_decisions_published', 'Decision records accepted by messaging', (s) => s.published);
    counter('bnpl_decisions_publish_failures', 'Failed publishes of decision batches (retried)', (s) => s.publishFailures);
    meter.createObservableGauge('bnpl_decisions_pending', { description: 'Decision records held by this instance, not yet accepted by messaging' }).addCallback((r) => r.observe(stats().pending));
    meter.createObservableGauge('bnpl_decisions_oldest_pending_seconds', { description: 'Age of the oldest decision record held by this instance' }).addCallback((r) => r.observe(stats().oldestPendingMs / 1000));
  }

  /** Counts a sealed record's values. */
  observe(draft: DecisionDraft): void {
    for (let j = 0; j < draft.featureNames.length; j++) {
      const feature = draft.featureNames[j];
      let counts = this.#statuses.get(feature);
      if (!counts) this.#statuses.set(feature, (counts = [0, 0, 0, 0]));
      const type = this.#keyFeatures.get(feature);
      for (const row of draft.rows) {
        const v = row.values[j];
        counts[STATUS_INDEX[v.status]]++;
        // The distribution of what the model actually saw: values served as PRESENT (defaults would pile up at one point).
        if (type === undefined || v.status !== 'PRESENT') continue;
        if (typeof v.value === 'object') this.#amount.series(feature, v.value.currency).observe(v.value.amountMinor);
        else if (typeof v.value === 'number') (type === 'INT64' ? this.#count : this.#ratio).series(feature).observe(v.value);
      }
    }
  }
}
