import { z } from 'zod';
import { MAX_ENTITY_ROWS, type CatalogDescription } from '@bnpl/serving';
import { entityIdSchema, featureValueSchema, joinKeysOf, requestInputSchema, requestInputsOf, strictObject } from '../http/values.schema';

/** `features` and `feature_service`, shared by the native and the Feast-compatible request. */
export const featureSelection = {
  feature_service: z.string().min(1).describe('A feature service, e.g. `credit_decision_v1`. Exactly one of `feature_service` or `features`.'),
  features: z
    .array(z.string())
    .min(1, { error: 'give at least one feature' })
    .describe('Feature references, `view:feature` or `view:*`. Exactly one of `feature_service` or `features`.'),
};

/** An array of one item per entity row: at most MAX_ENTITY_ROWS. */
export function upToMaxRows<T extends z.ZodType>(item: T) {
  return z.array(item).max(MAX_ENTITY_ROWS, { error: (issue) => `at most ${MAX_ENTITY_ROWS} entity rows per request, got ${(issue.input as unknown[]).length}` });
}

/** `request_context`: the inputs of request-time features, by name, each of its declared type. */
function requestContextSchema(catalog: CatalogDescription) {
  const inputs = Object.entries(requestInputsOf(catalog));
  return strictObject(Object.fromEntries(inputs.map(([name, type]) => [name, requestInputSchema(type).optional()]))).describe(
    `Inputs of request-time features (${inputs.map(([name, type]) => `\`${name}\` ${type}`).join(', ')}), required when the requested features include them.`,
  );
}

/**
 * The body of `POST /v1/features/online`, for the catalog's join keys and request inputs: the one schema
 * that validates the body and that the OpenAPI document shows. Which features and ids a request needs
 * (exactly one selection, the ids the features' entities need, id form, duplicates) is checked by the read
 * path, as for every edge.
 */
export function onlineFeaturesRequestSchema(catalog: CatalogDescription) {
  const joinKeys = joinKeysOf(catalog);
  const entityRow = strictObject(Object.fromEntries(joinKeys.map((key) => [key, entityIdSchema.optional()]))).describe(
    `One entity row: entity ids by join key (${joinKeys.join(', ')}). It needs the id of every entity the requested features describe; no two rows alike.`,
  );
  return strictObject({
    feature_service: featureSelection.feature_service.optional(),
    features: featureSelection.features.optional(),
    entities: upToMaxRows(entityRow)
      .min(1, { error: 'give at least one entity row' })
      .describe(`1 to ${MAX_ENTITY_ROWS} entity rows; results come back in the same order.`),
    request_context: requestContextSchema(catalog).optional(),
  }).describe('Features for many entities in one call.');
}

/** A validated `POST /v1/features/online` body (ids still as given: strings or integers). */
export type OnlineFeaturesRequest = z.output<ReturnType<typeof onlineFeaturesRequestSchema>>;

/** PRESENT / DEFAULT / STALE / MISSING, as the read path defines them. */
export const featureStatusSchema = z
  .enum(['PRESENT', 'DEFAULT', 'STALE', 'MISSING'])
  .describe(
    "PRESENT: a value within its view's TTL. STALE: the stored value is older than its view's TTL (still returned). DEFAULT: the entity exists but has no value; the feature's default is returned. MISSING: the entity does not exist; the default is returned.",
  );

/** One value with its status and event time. */
export const featureResultSchema = strictObject({
  value: featureValueSchema,
  status: featureStatusSchema,
  event_time: z.iso
    .datetime()
    .nullable()
    .describe('When the value was true, RFC 3339 UTC (a request-time feature: the request instant); null when MISSING.'),
}).describe('One feature value of one entity row.');

/** The answer of `GET /v1/customers/{id}/features` and `POST /v1/features/online`. */
export const featuresResponseSchema = strictObject({
  feature_names: z.array(z.string()).describe('Full `view:feature` references, `view:*` expanded, in request (or service) order.'),
  results: z
    .array(
      strictObject({
        entity_row: z.record(z.string(), z.string()).describe('The entity row as requested, ids as decimal strings.'),
        values: z.array(featureResultSchema).describe('One per feature name, in `feature_names` order.'),
      }),
    )
    .describe('One per entity row, in request order.'),
}).describe('Feature values with their status and event time.');

/** The answer of `GET /v1/customers/{id}/features` and `POST /v1/features/online`, as the mapper writes it. */
export type FeaturesResponse = z.output<typeof featuresResponseSchema>;
