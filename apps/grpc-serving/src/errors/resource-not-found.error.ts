import { type FeatureStoreError } from '@bnpl/feature-definitions';

/**
 * The resource a call identifies (e.g. the feature service GetFeatureService names) does not exist: NOT_FOUND
 * rather than the INVALID_ARGUMENT `edgeStatusOf` gives the same error where the name is an argument of a
 * query (as REST answers 404 for GET /v1/catalog/services/{name}). Keeps the cause's reason and message.
 */
export class ResourceNotFoundError extends Error {
  constructor(override readonly cause: FeatureStoreError) {
    super(cause.message);
    this.name = 'ResourceNotFoundError';
  }
}
