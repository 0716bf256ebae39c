/**
 * What a principal may do. Each REST route and gRPC method needs exactly one scope; scopes are independent
 * (`jobs:write` does not imply `jobs:read`, `admin` does not imply reading features): a key gets what it
 * is for and nothing else.
 *
 * - `features:read`: feature reads (REST, Feast-compatible, gRPC GetOnlineFeatures)
 * - `catalog:read`: the catalog (REST and gRPC)
 * - `jobs:write`: submit and cancel batch jobs
 * - `jobs:read`: list and follow jobs
 * - `audit:read`: served decision records (the decision-records API)
 * - `admin`: manage API keys (`/v1/keys`), and `/metrics` when it is not public
 */
export const SCOPES = ['features:read', 'catalog:read', 'jobs:write', 'jobs:read', 'audit:read', 'admin'] as const;

export type Scope = (typeof SCOPES)[number];

const KNOWN: ReadonlySet<string> = new Set(SCOPES);

export function isScope(value: unknown): value is Scope {
  return typeof value === 'string' && KNOWN.has(value);
}

/** Splits a scope list (`"a b"`, `"a,b"` or an array of either) into known scopes, in SCOPES order, and unknown ones. */
export function parseScopes(input: string | readonly string[]): { readonly scopes: Scope[]; readonly unknown: string[] } {
  const words = (typeof input === 'string' ? [input] : input).flatMap((s) => s.split(/[\s,]+/)).filter(Boolean);
  const unknown = [...new Set(words.filter((w) => !KNOWN.has(w)))];
  const wanted = new Set(words);
  return { scopes: SCOPES.filter((s) => wanted.has(s)), unknown };
}
