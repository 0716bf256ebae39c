import { FeatureStoreError } from './feature-store.error';

/** Why a catalog definition is invalid. Stable codes; tests and tooling match on them. */
export type CatalogProblemReason =
  | 'INVALID_NAME'
  | 'DUPLICATE_ENTITY'
  | 'DUPLICATE_SOURCE'
  | 'DUPLICATE_VIEW'
  | 'DUPLICATE_FEATURE'
  | 'DUPLICATE_SERVICE'
  | 'DUPLICATE_FEATURE_REF'
  | 'UNKNOWN_ENTITY'
  | 'UNKNOWN_SOURCE'
  | 'UNKNOWN_COLUMN'
  | 'UNKNOWN_FEATURE'
  | 'UNKNOWN_FEATURE_VIEW'
  | 'INVALID_FEATURE_REF'
  | 'INVALID_DEFAULT'
  | 'INVALID_TTL'
  | 'INVALID_WINDOW'
  | 'WINDOW_WITHOUT_TIME_COLUMN'
  | 'NON_NUMERIC_AGGREGATE_COLUMN'
  | 'MISSING_AGGREGATE_COLUMN'
  | 'UNEXPECTED_AGGREGATE_COLUMN'
  | 'SOURCE_NOT_KEYED_BY_ENTITY'
  | 'ENTITY_SOURCE_NOT_KEYED'
  | 'COLUMN_TYPE_MISMATCH'
  | 'VALUE_TYPE_MISMATCH'
  | 'MONEY_WITHOUT_CURRENCY'
  | 'INVALID_PREDICATE'
  | 'PREDICATE_TYPE_MISMATCH'
  | 'UNKNOWN_PREDICATE_VALUE'
  | 'INVALID_RATIO_OPERAND'
  | 'REQUEST_INPUT_CONFLICT'
  | 'INVALID_SERVICE_VERSION'
  | 'EMPTY_VIEW'
  | 'EMPTY_SERVICE'
  | 'INVALID_COMPUTATION';

/** One problem found in a catalog definition. */
export interface CatalogProblem {
  /**
   * What is wrong, by full name: `view:feature` for a feature, `view <name>`, `service <name>`,
   * `entity <name>`, `source <name>` or `request_view <name>` otherwise.
   */
  readonly subject: string;
  readonly reason: CatalogProblemReason;
  readonly message: string;
}

/**
 * `defineCatalog` found problems. Lists every problem, not only the first, so that one run of the
 * build shows everything to fix.
 */
export class CatalogValidationError extends FeatureStoreError {
  /** Bad data or definitions on our side, never the caller's input: 500 / INTERNAL. */
  readonly kind = 'INTERNAL';
  readonly reason = 'INVALID_CATALOG';

  constructor(readonly problems: readonly CatalogProblem[]) {
    super(
      `Invalid feature catalog (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  - ${p.subject}: ${p.reason}: ${p.message}`).join('\n'),
    );
  }
}
