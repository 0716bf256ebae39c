import { type ValueType as DomainValueType } from '@bnpl/feature-definitions';
import { type CatalogDescription, type FeatureDescription, type FeatureServiceDescription, type FeatureViewDescription } from '@bnpl/serving';
import { type Feature, type FeatureService, type FeatureView, type GetCatalogResponse, type ValueType } from '@bnpl/serving-contract';
import { toFeatureValue, toValueType } from './feature-value.mapper';

/**
 * The catalog as GetCatalog answers it, from `describeCatalog` (the same description GET /v1/catalog
 * serves, so both edges describe the catalog identically). Absent values of the JSON form (a request-time
 * view's entity and TTL) are proto3 defaults: "" and 0.
 */
export function toGetCatalogResponse(catalog: CatalogDescription): GetCatalogResponse {
  return {
    entities: catalog.entities.map((e) => ({ name: e.name, join_key: e.joinKey, description: e.description })),
    feature_views: catalog.views.map(toFeatureView),
    feature_services: catalog.services.map(toFeatureService),
  };
}

/** One feature service, from `describeFeatureService`. */
export function toFeatureService(service: FeatureServiceDescription): FeatureService {
  return {
    name: service.name,
    version: service.version,
    owner: service.owner,
    description: service.description,
    features: service.features.map(toFeature),
    required_join_keys: [...service.requiredJoinKeys],
    request_inputs: toRequestInputs(service.requestInputs),
  };
}

function toFeatureView(view: FeatureViewDescription): FeatureView {
  return {
    name: view.name,
    kind: view.kind === 'stored' ? 'FEATURE_VIEW_KIND_STORED' : 'FEATURE_VIEW_KIND_REQUEST',
    entity: view.entity ?? '',
    ttl_seconds: view.ttlSeconds ?? 0,
    owner: view.owner,
    description: view.description,
    request_inputs: toRequestInputs(view.requestInputs),
    features: view.features.map(toFeature),
  };
}

function toFeature(feature: FeatureDescription): Feature {
  return {
    ref: feature.ref,
    name: feature.name,
    value_type: toValueType(feature.valueType),
    default_value: toFeatureValue(feature.valueType, feature.default),
    description: feature.description,
  };
}

function toRequestInputs(inputs: Readonly<Record<string, DomainValueType>>): Record<string, ValueType> {
  return Object.fromEntries(Object.entries(inputs).map(([name, type]) => [name, toValueType(type)]));
}
