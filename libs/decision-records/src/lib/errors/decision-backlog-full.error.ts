import { FeatureStoreError } from '@bnpl/feature-definitions';

/**
 * With `DECISIONS_ON_BACKLOG=reject`, this instance holds as many unpublished decision records as it may
 * (messaging is down or slower than the traffic), or it is shutting down: the answer is refused rather
 * than served unrecorded. 503 / UNAVAILABLE: retry, preferably on another instance.
 */
export class DecisionBacklogFullError extends FeatureStoreError {
  readonly kind = 'UNAVAILABLE';
  readonly reason = 'DECISION_BACKLOG_FULL';

  constructor(detail: string) {
    super(`Decision not served: it could not be recorded (${detail})`);
  }
}
