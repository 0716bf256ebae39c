import { FeatureStoreError, quoteInput } from '@bnpl/feature-definitions';

/** No whole-day replay run with this id (never started, or forgotten: the service keeps its last 100). 404 / NOT_FOUND. */
export class ReplayRunNotFoundError extends FeatureStoreError {
  readonly kind = 'NOT_FOUND';
  readonly reason = 'REPLAY_RUN_NOT_FOUND';

  constructor(readonly runId: string) {
    super(`No replay run ${quoteInput(runId)}: it never started, or the decisions service restarted or has forgotten it`);
  }
}
