import { FeatureStoreError } from '@bnpl/feature-definitions';

/**
 * An entity table (rows in memory or a file) cannot be used: a needed column is missing or has the wrong
 * type, an id or timestamp is invalid, two rows share their ids and timestamp, a label clashes with an
 * output column, or there are no rows. `rowIndex` (0-based, header excluded) and `column` locate it.
 */
export class InvalidEntityTableError extends FeatureStoreError {
  readonly kind = 'INVALID_ARGUMENT';
  readonly reason = 'INVALID_ENTITY_TABLE';

  constructor(
    message: string,
    readonly location: { readonly rowIndex?: number; readonly column?: string } = {},
  ) {
    super(message);
  }
}
