/** Feature values of some entities changed in the online store. */
export interface FeatureUpdateNotice {
  readonly entity: string;
  readonly entityIds: readonly string[];
  readonly featureViews: readonly string[];
  /** The event time of the values written. */
  readonly eventTime: Date;
  /** The commit position of the newest source transaction the update carries. */
  readonly sourceLsn: bigint;
}

/**
 * Tells every serving instance which entities changed, so that each drops them from its in-process cache
 * (the messaging lib's `featureUpdatesTopic`). Best effort: a notice that fails to go out costs freshness
 * for at most the cache's TTL, never correctness, so the ingestor does not hold acknowledgements for it.
 */
export interface FeatureUpdateNotifier {
  notify(notice: FeatureUpdateNotice): Promise<void>;
}

/** Injection token of the FeatureUpdateNotifier port. */
export const FEATURE_UPDATE_NOTIFIER = Symbol('FEATURE_UPDATE_NOTIFIER');
