import { FeatureStoreError } from '@bnpl/feature-definitions';
import { bounded } from './bounded';

export type PermissionDeniedReason = 'MISSING_SCOPE' | 'FEATURE_SERVICE_RESTRICTED' | 'FEATURE_VIEW_RESTRICTED';

/**
 * The caller is authenticated but may not do this: its credential lacks the scope the call needs, or the
 * feature service or view it asks for is restricted to other principals. 403 / PERMISSION_DENIED.
 */
export class PermissionDeniedError extends FeatureStoreError {
  readonly kind = 'PERMISSION_DENIED';

  constructor(
    readonly reason: PermissionDeniedReason,
    message: string,
  ) {
    super(bounded(message));
  }
}
