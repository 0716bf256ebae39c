import { FeatureStoreError } from '@bnpl/feature-definitions';

/** A schedule that cannot run: a bad cron expression, time zone, name or job. Found when the config loads. */
export class InvalidScheduleError extends FeatureStoreError {
  readonly kind = 'INVALID_ARGUMENT';
  readonly reason = 'INVALID_SCHEDULE';

  constructor(message: string) {
    super(message);
  }
}
