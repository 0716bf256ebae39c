import type { AnyFeatureDefinition, Catalog, FeatureView } from '@bnpl/feature-definitions';
import { InvalidHistoricalRequestError } from './errors/invalid-historical-request.error';

/** One stored feature to retrieve. */
export interface SelectedFeature {
  /** `view:feature`. */
  readonly ref: string;
  readonly view: FeatureView;
  readonly feature: AnyFeatureDefinition;
}

/** The stored views to join and, per view, the features asked of it. */
export interface SelectedView {
  readonly view: FeatureView;
  /** In request order. */
  readonly features: readonly SelectedFeature[];
}

export interface FeatureSelection {
  /** In request (or service) order, each once. */
  readonly features: readonly SelectedFeature[];
  /** Distinct views, in first-use order. */
  readonly views: readonly SelectedView[];
  /** Join keys of the views' entities (`customer_id`, `merchant_id`), in first-use order. */
  readonly joinKeys: readonly string[];
  /** Request-time features of the service, not retrieved. */
  readonly omittedRequestFeatures: readonly string[];
}

/**
 * Resolves `features` or `featureService` (exactly one) against the catalog. Throws the catalog's errors
 * for unknown names; a request-time feature named in `features` is an `UnknownFeatureViewError` (it is not
 * stored), while a service's request-time features are listed as omitted.
 */
export function selectFeatures(catalog: Catalog, request: { readonly features?: unknown; readonly featureService?: unknown }): FeatureSelection {
  const { features, featureService } = request;
  if ((features === undefined) === (featureService === undefined)) {
    throw new InvalidHistoricalRequestError('Give exactly one of "features" (view:feature references) and "featureService"');
  }
  let selected: SelectedFeature[];
  let omitted: string[] = [];
  if (featureService !== undefined) {
    if (typeof featureService !== 'string') throw new InvalidHistoricalRequestError('"featureService" must be a service name');
    const resolved = catalog.resolveService(featureService).features;
    selected = resolved.flatMap((f) => (f.kind === 'stored' ? [{ ref: f.ref, view: f.view, feature: f.feature }] : []));
    omitted = resolved.filter((f) => f.kind === 'request').map((f) => f.ref);
    if (selected.length === 0) throw new InvalidHistoricalRequestError(`Feature service "${featureService}" has no stored features`);
  } else {
    if (!Array.isArray(features) || features.length === 0 || !features.every((f) => typeof f === 'string')) {
      throw new InvalidHistoricalRequestError('"features" must be a non-empty list of view:feature references');
    }
    selected = catalog.resolveRefs(features).map((f) => {
      // getView throws UnknownFeatureViewError("... it is a request-time view ...") for a request-time feature.
      const view = f.kind === 'stored' ? f.view : catalog.getView(f.view.name);
      return { ref: f.ref, view, feature: f.feature as AnyFeatureDefinition };
    });
  }
  const byView = new Map<FeatureView, SelectedFeature[]>();
  for (const f of selected) {
    const list = byView.get(f.view) ?? [];
    list.push(f);
    byView.set(f.view, list);
  }
  const views = [...byView].map(([view, fs]) => ({ view, features: fs }));
  const joinKeys = [...new Set(views.map((v) => v.view.entity.joinKey))];
  return { features: selected, views, joinKeys, omittedRequestFeatures: omitted };
}
