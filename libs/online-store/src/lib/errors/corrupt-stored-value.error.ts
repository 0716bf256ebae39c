import { FeatureStoreError } from '@bnpl/feature-definitions';

/**
 * A stored value does not decode against the current catalog (a feature was reordered or retyped
 * without re-materializing the view, or the data is damaged). Re-materialize the view with `overwrite`.
 */
export class CorruptStoredValueError extends FeatureStoreError {
  /** Bad data or definitions on our side, never the caller's input: 500 / INTERNAL. */
  readonly kind = 'INTERNAL';
  readonly reason = 'ONLINE_STORE_CORRUPT_VALUE';

  constructor(
    readonly view: string,
    detail: string,
  ) {
    super(`Stored value of feature view "${view}" cannot be decoded: ${detail}`);
  }
}
