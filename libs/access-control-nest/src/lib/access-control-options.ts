import type { FeatureRestrictions } from '@bnpl/access-control';
import type { JoseTokenVerifierOptions } from '@bnpl/access-control-jose';

/** Everything AccessControlModule needs; apps build it from their environment (toAccessControlOptions). */
export interface AccessControlOptions {
  /** `off` serves every request without authentication (tests and benchmarks only; logged loudly). */
  readonly mode: 'on' | 'off';
  /** The app's name, for logs and its key-revocation subscription. */
  readonly service: string;
  /** Routes without a declared scope that anyone may call (health probes, and /metrics when configured). */
  readonly publicPaths: readonly string[];
  /** Where keys are: the source database's key table (`postgres`), or memory (one process, tests). */
  readonly keyStore: 'postgres' | 'memory';
  readonly keyCache: { readonly maxEntries: number; readonly ttlMs: number; readonly negativeTtlMs: number };
  /** How often key use is written to `last_used_at` (ms). */
  readonly keyUsageFlushMs: number;
  /** Bearer tokens from the company's identity provider; absent: API keys only. */
  readonly jwt?: Omit<JoseTokenVerifierOptions, 'clock'>;
  readonly restrictions: FeatureRestrictions;
  readonly rateLimit: {
    /** The budget all instances share (`redis`), or this process alone (`memory`). */
    /** `tlsCa`: PEM CA certificates verifying a `rediss://` server under a private CA. */
    readonly store: { readonly type: 'redis'; readonly url: string; readonly commandTimeoutMs?: number; readonly tlsCa?: Buffer } | { readonly type: 'memory' };
    /** Requests per second of a principal whose key or token sets none. */
    readonly defaultPerSecond: number;
    readonly leaseFraction?: number;
    readonly maxLease?: number;
  };
}
