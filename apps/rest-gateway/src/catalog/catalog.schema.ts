import { z } from 'zod';
import { featureValueSchema, strictObject, valueTypeSchema } from '../http/values.schema';

const requestInputs = z.record(z.string(), valueTypeSchema).describe('Request inputs by name and type (request-time features only; empty otherwise).');

/** A feature as the catalog describes it (written from `FeatureDescription` of @bnpl/serving by catalog.mapper.ts). */
export const featureDescriptionSchema = strictObject({
  ref: z.string().describe('`view:feature`.'),
  name: z.string(),
  value_type: valueTypeSchema,
  default: featureValueSchema.describe('Served, with status DEFAULT or MISSING, when there is no value.'),
  description: z.string(),
}).describe('One feature.');

/** A feature service (from `FeatureServiceDescription` of @bnpl/serving): the answer of `GET /v1/catalog/services/{name}`. */
export const featureServiceSchema = strictObject({
  name: z.string(),
  version: z.int(),
  owner: z.string(),
  description: z.string(),
  features: z.array(featureDescriptionSchema).describe('`view:*` expanded, in the order they are served.'),
  required_join_keys: z.array(z.string()).describe('Join keys every entity row must carry.'),
  request_inputs: requestInputs,
}).describe('A feature service: a named, versioned bundle of features.');

/** The answer of `GET /v1/catalog/services/{name}`, as the mapper writes it. */
export type FeatureServiceJson = z.output<typeof featureServiceSchema>;

/** The catalog (from `CatalogDescription` of @bnpl/serving): the answer of `GET /v1/catalog`. */
export const catalogSchema = strictObject({
  entities: z.array(strictObject({ name: z.string(), join_key: z.string().describe('The key entity rows use for it, e.g. `customer_id`.'), description: z.string() })),
  views: z.array(
    strictObject({
      name: z.string(),
      kind: z.enum(['stored', 'request']).describe('stored: materialized per entity; request: computed per request from request inputs.'),
      entity: z.string().nullable().describe('The entity the view describes (stored views only).'),
      ttl_seconds: z.int().nullable().describe('A stored value older than this is served with status STALE (stored views only).'),
      owner: z.string(),
      description: z.string(),
      request_inputs: requestInputs,
      features: z.array(featureDescriptionSchema),
    }),
  ),
  services: z.array(featureServiceSchema),
}).describe('Entities, feature views and feature services.');

/** The answer of `GET /v1/catalog`, as the mapper writes it. */
export type CatalogJson = z.output<typeof catalogSchema>;
