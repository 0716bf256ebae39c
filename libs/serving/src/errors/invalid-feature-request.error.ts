import { FeatureStoreError } from '@bnpl/feature-definitions';

/** Why a feature read request is malformed. Stable codes: edges map them to 400 / INVALID_ARGUMENT. */
export type InvalidFeatureRequestReason =
  | 'INVALID_FEATURE_SELECTION'
  | 'EMPTY_ENTITY_ROWS'
  | 'TOO_MANY_ENTITY_ROWS'
  | 'INVALID_ENTITY_ROW'
  | 'INVALID_ENTITY_ID'
  | 'MISSING_ENTITY_ID'
  | 'DUPLICATE_ENTITY_ROW'
  /** The request's bytes are not a message of its type (an edge that decodes a binary format says so). */
  | 'UNDECODABLE_REQUEST';

/**
 * A feature read request is malformed: a client error, raised before any I/O. `rowIndex` (0-based) and
 * `field` locate the bad input when there is one, so that an edge can report a field violation.
 */
export class InvalidFeatureRequestError extends FeatureStoreError {
  readonly kind = 'INVALID_ARGUMENT';
  constructor(
    readonly reason: InvalidFeatureRequestReason,
    message: string,
    readonly location: { readonly rowIndex?: number; readonly field?: string } = {},
  ) {
    super(message);
  }
}
