import { FeatureStoreError } from '@bnpl/feature-definitions';

/** An admin call names an API key id that does not exist. 404 / NOT_FOUND (admins only: scope `admin`). */
export class ApiKeyNotFoundError extends FeatureStoreError {
  readonly kind = 'NOT_FOUND';
  readonly reason = 'API_KEY_NOT_FOUND';

  constructor(readonly keyId: string) {
    super(`No API key with id ${JSON.stringify(keyId.slice(0, 40))}`);
  }
}
