import type { Scope } from './scopes';

/** Who is calling, established from a credential by an Authenticator. */
export interface Principal {
  /**
   * Stable and unique: `key:<key id>` for an API key, `jwt:<subject>` for a token. Rate limits are counted
   * per id (so per key: two keys of one owner have a budget each).
   */
  readonly id: string;
  /**
   * Who it is: an API key's owner, a token's subject. Restrictions of feature services and views name
   * principals by this name, so every key of an owner (a rotated one too) has the same grants.
   */
  readonly name: string;
  readonly kind: 'api-key' | 'jwt';
  readonly scopes: ReadonlySet<Scope>;
  /** Requests per second this principal may make across all instances; undefined: the configured default. */
  readonly rateLimitPerSecond?: number;
}

/** Principal names (key owners, token subjects used as names): what a restriction list may hold. */
export const PRINCIPAL_NAME = /^[A-Za-z0-9][A-Za-z0-9._@:-]{0,99}$/;
