import { FeatureStoreError } from '@bnpl/feature-definitions';

/** Options of a parity check that cannot run; thrown before any I/O. `option` names the offending field. */
export class InvalidParityOptionsError extends FeatureStoreError {
  readonly kind = 'INVALID_ARGUMENT';
  readonly reason = 'INVALID_PARITY_OPTIONS';

  constructor(
    readonly option: string,
    message: string,
  ) {
    super(`Invalid parity check option "${option}": ${message}`);
  }
}
