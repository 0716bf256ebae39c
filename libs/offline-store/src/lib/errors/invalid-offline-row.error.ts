import { FeatureStoreError } from '@bnpl/feature-definitions';

/** A row given to `writeFeatureRows` does not fit its view: bad entity id or event time, unknown feature, wrong value type. */
export class InvalidOfflineRowError extends FeatureStoreError {
  /** Bad data or definitions on our side, never the caller's input: 500 / INTERNAL. */
  readonly kind = 'INTERNAL';
  readonly reason = 'INVALID_OFFLINE_ROW';

  constructor(
    readonly view: string,
    /** 0-based position of the row among all the rows of the call. */
    readonly rowIndex: number,
    detail: string,
  ) {
    super(`Invalid row ${rowIndex} for feature view "${view}": ${detail}`);
  }
}
