import type { Catalog, FeatureValue, FeatureView, RequestFeatureView, ValueType } from '@bnpl/feature-definitions';

/** One feature as consumers see it in the catalog. */
export interface FeatureDescription {
  /** `view:feature`. */
  readonly ref: string;
  readonly name: string;
  readonly valueType: ValueType;
  /** Served with status DEFAULT or MISSING when there is no value. */
  readonly default: FeatureValue;
  readonly description: string;
}

export interface EntityDescription {
  readonly name: string;
  readonly joinKey: string;
  readonly description: string;
}

export interface FeatureViewDescription {
  readonly name: string;
  /** `stored`: materialized per entity; `request`: computed at request time from request inputs. */
  readonly kind: 'stored' | 'request';
  /** The entity the view describes (stored views only). */
  readonly entity: string | null;
  /** A stored value older than this is served with status STALE (stored views only). */
  readonly ttlSeconds: number | null;
  readonly owner: string;
  readonly description: string;
  /** Request inputs by name and type (request views only; empty for stored views). */
  readonly requestInputs: Readonly<Record<string, ValueType>>;
  readonly features: readonly FeatureDescription[];
}

export interface FeatureServiceDescription {
  readonly name: string;
  readonly version: number;
  readonly owner: string;
  readonly description: string;
  /** The service's features, `view:*` expanded, in the order they are served. */
  readonly features: readonly FeatureDescription[];
  /** Join keys every entity row must carry (e.g. `customer_id`, `merchant_id`). */
  readonly requiredJoinKeys: readonly string[];
  /** Request inputs a request must carry for the service's request-time features. */
  readonly requestInputs: Readonly<Record<string, ValueType>>;
}

export interface CatalogDescription {
  readonly entities: readonly EntityDescription[];
  readonly views: readonly FeatureViewDescription[];
  readonly services: readonly FeatureServiceDescription[];
}

/**
 * The catalog as both edges publish it (REST `GET /v1/catalog`, gRPC `ListFeatureServices`): plain data,
 * no computation plans. One function so the two interfaces can never describe the catalog differently.
 */
export function describeCatalog(catalog: Catalog): CatalogDescription {
  return {
    entities: catalog.entities.map((e) => ({ name: e.name, joinKey: e.joinKey, description: e.description })),
    views: [...catalog.views.map(describeView), ...catalog.requestViews.map(describeView)],
    services: catalog.services.map((s) => describeFeatureService(catalog, s.name)),
  };
}

/** One feature service; throws UnknownFeatureServiceError (reason UNKNOWN_FEATURE_SERVICE) naming it. */
export function describeFeatureService(catalog: Catalog, name: string): FeatureServiceDescription {
  const resolved = catalog.resolveService(name);
  const joinKeys = resolved.entities.map((entity) => catalog.getEntity(entity).joinKey);
  return {
    name: resolved.service.name,
    version: resolved.service.version,
    owner: resolved.service.owner,
    description: resolved.service.description,
    features: resolved.features.map((f) => describeFeature(f.ref, f.feature)),
    requiredJoinKeys: joinKeys,
    requestInputs: { ...resolved.requestInputs },
  };
}

function describeView(view: FeatureView | RequestFeatureView): FeatureViewDescription {
  return {
    name: view.name,
    kind: view.kind,
    entity: view.kind === 'stored' ? view.entity.name : null,
    ttlSeconds: view.kind === 'stored' ? view.ttlSeconds : null,
    owner: view.owner,
    description: view.description,
    requestInputs: view.kind === 'request' ? { ...view.inputs } : {},
    features: view.features.map((f) => describeFeature(`${view.name}:${f.name}`, f)),
  };
}

function describeFeature(ref: string, f: { name: string; valueType: ValueType; default: FeatureValue; description: string }): FeatureDescription {
  return { ref, name: f.name, valueType: f.valueType, default: f.default, description: f.description };
}
