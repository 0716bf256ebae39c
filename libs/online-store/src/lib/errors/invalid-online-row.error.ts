import { FeatureStoreError } from '@bnpl/feature-definitions';

/** A row given to `OnlineStore.write` does not fit its view: unknown feature, wrong value type, wrong entity, bad event time. */
export class InvalidOnlineRowError extends FeatureStoreError {
  /** Bad data or definitions on our side, never the caller's input: 500 / INTERNAL. */
  readonly kind = 'INTERNAL';
  readonly reason = 'INVALID_ONLINE_ROW';

  constructor(
    readonly view: string,
    detail: string,
  ) {
    super(`Invalid row for feature view "${view}": ${detail}`);
  }
}
