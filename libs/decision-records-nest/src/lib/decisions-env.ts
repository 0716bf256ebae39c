import { z } from 'zod';
import { BACKLOG_POLICIES, DEFAULT_RETENTION_MONTHS, type BacklogPolicy } from '@bnpl/decision-records';
import { env } from '@bnpl/platform';

const FEATURE_REFS = /^[a-z][a-z0-9_]*:[a-z][a-z0-9_]*(,[a-z][a-z0-9_]*:[a-z][a-z0-9_]*)*$/;

/** The variables of a serving app (rest-gateway, grpc-serving) that records its decisions. */
export const decisionRecordingEnvSchema = z.object({
  /** `on` (default): every GetOnlineFeatures answer is recorded; `off`: answers carry a decision id, nothing is recorded (benchmarks). */
  DECISIONS_RECORDING: env.oneOf(['on', 'off'] as const, 'on'),
  /** `reject` (default): refuse to answer (503) rather than serve an unrecorded decision when the buffer is full; `drop`: serve, count the loss. */
  DECISIONS_ON_BACKLOG: env.oneOf(BACKLOG_POLICIES as unknown as readonly [BacklogPolicy, ...BacklogPolicy[]], 'reject'),
  /** A batch of records leaves at most this many ms after its oldest record: what a SIGKILLed instance loses at most. */
  DECISIONS_FLUSH_MS: env.positiveInt(100),
  /** Records per batch (one Pub/Sub message). */
  DECISIONS_BATCH_RECORDS: env.positiveInt(500),
  /** Records held while messaging cannot take them before the backlog policy applies. */
  DECISIONS_MAX_PENDING: env.positiveInt(20_000),
  /** Served features whose values are exported as distributions (histograms), `view:feature,...`. */
  DECISIONS_METRIC_FEATURES: z.string().regex(FEATURE_REFS, 'must be view:feature,view:feature').default('customer_exposure:utilization,customer_exposure:outstanding_balance,customer_exposure:credit_limit'),
});
export type DecisionRecordingEnv = z.infer<typeof decisionRecordingEnvSchema>;

/** The variables of the batch-processor's decision sink and decisions service. */
export const decisionSinkEnvSchema = z.object({
  /** `on` (default): consume decision records into the offline store (needs OFFLINE_STORE other than none). */
  DECISIONS_SINK: env.oneOf(['on', 'off'] as const, 'on'),
  /** Calendar months decision records and outcomes are kept (default 25: Reg B's retention period). */
  DECISIONS_RETENTION_MONTHS: env.positiveInt(DEFAULT_RETENTION_MONTHS),
  /** How often the retention job runs, ms (default hourly). */
  DECISIONS_RETENTION_INTERVAL_MS: env.positiveInt(3_600_000),
  /** How long an outcome for a decision not yet stored waits for its record before the answer is 404, ms. */
  DECISIONS_OUTCOME_WAIT_MS: z.coerce.number({ error: 'must be a number' }).int('must be an integer').min(0, 'must be >= 0').max(60_000, 'must be <= 60000').default(3_000),
});
export type DecisionSinkEnv = z.infer<typeof decisionSinkEnvSchema>;

/** The variables of rest-gateway's decisions API. */
export const decisionsApiEnvSchema = z.object({
  /** Where the decisions service (the batch-processor that owns the offline store) answers. */
  DECISIONS_SERVICE_URL: env.url(['http', 'https']).default('http://127.0.0.1:3001'),
});
export type DecisionsApiEnv = z.infer<typeof decisionsApiEnvSchema>;

/** The options of DecisionRecordingModule from a serving app's environment. */
export function toDecisionRecordingOptions(config: DecisionRecordingEnv & { readonly MESSAGING_MAX_DELIVERIES: number }, service: string): DecisionRecordingOptions {
  return {
    service,
    enabled: config.DECISIONS_RECORDING === 'on',
    policy: config.DECISIONS_ON_BACKLOG,
    maxBatchAgeMs: config.DECISIONS_FLUSH_MS,
    maxBatchRecords: config.DECISIONS_BATCH_RECORDS,
    maxPendingRecords: config.DECISIONS_MAX_PENDING,
    metricFeatures: config.DECISIONS_METRIC_FEATURES.split(','),
    maxDeliveries: config.MESSAGING_MAX_DELIVERIES,
  };
}

export interface DecisionRecordingOptions {
  /** The app's name: the first part of its instance ids. */
  readonly service: string;
  readonly enabled: boolean;
  readonly policy: BacklogPolicy;
  readonly maxBatchAgeMs: number;
  readonly maxBatchRecords: number;
  readonly maxPendingRecords: number;
  readonly metricFeatures: readonly string[];
  /** The sink subscription's delivery limit (MESSAGING_MAX_DELIVERIES), for declaring it as the sink does. */
  readonly maxDeliveries: number;
}
