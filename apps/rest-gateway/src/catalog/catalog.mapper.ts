import { type CatalogDescription, type FeatureDescription, type FeatureServiceDescription, type FeatureViewDescription } from '@bnpl/serving';
import { toFeatureValueJson } from '../http/values.mapper';
import { type CatalogJson, type FeatureServiceJson } from './catalog.schema';

type FeatureJson = FeatureServiceJson['features'][number];
type FeatureViewJson = CatalogJson['views'][number];

/** The catalog description (shared with gRPC) -> the body of `GET /v1/catalog`, field by field. */
export function toCatalogJson(catalog: CatalogDescription): CatalogJson {
  return {
    entities: catalog.entities.map((e) => ({ name: e.name, join_key: e.joinKey, description: e.description })),
    views: catalog.views.map(toFeatureViewJson),
    services: catalog.services.map(toFeatureServiceJson),
  };
}

/** One feature service -> the body of `GET /v1/catalog/services/{name}` (and an entry of the catalog's `services`). */
export function toFeatureServiceJson(service: FeatureServiceDescription): FeatureServiceJson {
  return {
    name: service.name,
    version: service.version,
    owner: service.owner,
    description: service.description,
    features: service.features.map(toFeatureJson),
    required_join_keys: [...service.requiredJoinKeys],
    request_inputs: { ...service.requestInputs },
  };
}

function toFeatureViewJson(view: FeatureViewDescription): FeatureViewJson {
  return {
    name: view.name,
    kind: view.kind,
    entity: view.entity,
    ttl_seconds: view.ttlSeconds,
    owner: view.owner,
    description: view.description,
    request_inputs: { ...view.requestInputs },
    features: view.features.map(toFeatureJson),
  };
}

function toFeatureJson(feature: FeatureDescription): FeatureJson {
  return { ref: feature.ref, name: feature.name, value_type: feature.valueType, default: toFeatureValueJson(feature.default), description: feature.description };
}
