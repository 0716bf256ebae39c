import type { FeatureValue } from '@bnpl/feature-definitions';

/** Most entity rows one request may carry. */
export const MAX_ENTITY_ROWS = 1000;

/**
 * One entity row of a request: the ids of the entities its features describe, by the entities' join keys
 * (`customer_id`, `merchant_id`), as canonical decimal strings. A row needs the id of every entity whose
 * stored views the request reads; other ids are validated and otherwise ignored.
 */
export interface EntityRow {
  readonly customer_id?: string;
  readonly merchant_id?: string;
  readonly [joinKey: string]: string | undefined;
}

/**
 * What to read: exactly one of `featureService` (a feature service name, e.g. `credit_decision_v1`) or
 * `features` (`view:feature` or `view:*` references), for every row of `entityRows`.
 */
export interface GetOnlineFeaturesCommand {
  readonly featureService?: string;
  readonly features?: readonly string[];
  /** 1 to MAX_ENTITY_ROWS rows, no two alike. */
  readonly entityRows: readonly EntityRow[];
  /** Inputs of request-time features, e.g. `{ requested_amount: { amountMinor: 12000, currency: 'EUR' } }`. */
  readonly requestContext?: Readonly<Record<string, unknown>>;
}

/**
 * - PRESENT: a stored or computed value, within its view's TTL (`eventTime + ttl >= now`).
 * - STALE: the stored row is older than its view's TTL; its value is still returned (the default where the
 *   stored value is null).
 * - DEFAULT: the entity exists but the definition yields no value; the feature's default is returned.
 * - MISSING: the entity does not exist; the feature's default is returned and `eventTime` is null.
 */
export type FeatureStatus = 'PRESENT' | 'DEFAULT' | 'STALE' | 'MISSING';

export interface FeatureResult {
  /** Never null: the feature's default stands in where there is no value. */
  readonly value: FeatureValue;
  readonly status: FeatureStatus;
  /**
   * When the value was true: the stored row's event time, the as-of instant of a value just computed from
   * the source, the request instant for a request-time feature; null when MISSING.
   */
  readonly eventTime: Date | null;
}

/** One result row per entity row, in request order; one value per feature, in `feature_names` order. */
export interface EntityResult {
  readonly entityRow: EntityRow;
  readonly values: readonly FeatureResult[];
}

export interface GetOnlineFeaturesResult {
  /** Full `view:feature` references, `view:*` expanded, in request (or service) order, each once. */
  readonly feature_names: readonly string[];
  readonly results: readonly EntityResult[];
}
