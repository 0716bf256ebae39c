import { createHash } from 'node:crypto';
import type { Catalog, FeatureView, RequestFeatureView } from '@bnpl/feature-definitions';

const fingerprints = new WeakMap<FeatureView | RequestFeatureView, string>();

/** Functions (request-time computations) by their source text: a changed formula changes the fingerprint. */
const withFunctionSource = (_key: string, value: unknown) => (typeof value === 'function' ? `fn:${value.toString()}` : value);

/**
 * A view's definition fingerprint: the first 16 hex digits of the SHA-256 of its definition as declared
 * (features, types, defaults, computations, TTL; a request-time view's formulas by their source text).
 * Two records with the same fingerprint for a view were served under the same definition of it; a replay
 * or an auditor can tell when a definition changed since. Computed once per view.
 */
export function definitionFingerprint(view: FeatureView | RequestFeatureView): string {
  let fingerprint = fingerprints.get(view);
  if (fingerprint === undefined) {
    fingerprint = createHash('sha256').update(JSON.stringify(view.definition, withFunctionSource)).digest('hex').slice(0, 16);
    fingerprints.set(view, fingerprint);
  }
  return fingerprint;
}

const byCatalog = new WeakMap<Catalog, ReadonlyMap<string, string>>();

/** The fingerprints of the named views (stored or request-time) of `catalog`; unknown names are left out. */
export function definitionFingerprints(catalog: Catalog, views: readonly string[]): Record<string, string> {
  let all = byCatalog.get(catalog);
  if (!all) {
    all = new Map([...catalog.views, ...catalog.requestViews].map((v) => [v.name, definitionFingerprint(v)]));
    byCatalog.set(catalog, all);
  }
  const out: Record<string, string> = {};
  for (const name of views) {
    const fingerprint = all.get(name);
    if (fingerprint !== undefined) out[name] = fingerprint;
  }
  return out;
}
