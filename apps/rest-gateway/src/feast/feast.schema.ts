import { z } from 'zod';
import { type CatalogDescription } from '@bnpl/serving';
import { featureSelection, upToMaxRows } from '../features/online-features.schema';
import { entityIdSchema, featureValueSchema, joinKeysOf, requestInputSchema, requestInputsOf, strictObject } from '../http/values.schema';

/**
 * The body of `POST /get-online-features`, as Feast's Python feature server takes it: entities as columns
 * (join key -> one id per entity row; request input -> one value per row). The one schema that validates
 * the body and that the OpenAPI document shows.
 */
export function feastRequestSchema(catalog: CatalogDescription) {
  const joinKeys = joinKeysOf(catalog);
  const inputs = Object.entries(requestInputsOf(catalog));
  const entities = strictObject({
    ...Object.fromEntries(joinKeys.map((key) => [key, upToMaxRows(entityIdSchema).optional().describe(`One ${key} per entity row.`)])),
    ...Object.fromEntries(
      inputs.map(([name, type]) => [
        name,
        upToMaxRows(requestInputSchema(type))
          .optional()
          .describe(`Request data: the ${type} input \`${name}\` of request-time features, one per entity row, the same in every row.`),
      ]),
    ),
  }).describe(`Entity columns: join keys (${joinKeys.join(', ')}) and request data, all of the same length (the number of entity rows).`);
  return strictObject({
    // Feast's own clients send null for the selection they do not use.
    features: featureSelection.features.nullish(),
    feature_service: featureSelection.feature_service.nullish(),
    entities,
    full_feature_names: z.boolean().default(false).describe('Name features `view__feature` rather than `feature`.'),
  }).describe("Feast's get-online-features request.");
}

/** A validated Feast request (entity columns in the schema's key order; ids as given). */
export type FeastRequest = z.output<ReturnType<typeof feastRequestSchema>>;

/** Feast's FieldStatus names. */
export const feastStatusSchema = z
  .enum(['PRESENT', 'NOT_FOUND', 'NULL_VALUE', 'OUTSIDE_MAX_AGE'])
  .describe("Feast's field status: PRESENT (ours PRESENT), NULL_VALUE (ours DEFAULT), OUTSIDE_MAX_AGE (ours STALE), NOT_FOUND (ours MISSING).");

/** The answer of `POST /get-online-features`, in Feast's layout: one results entry per column. */
export const feastResponseSchema = strictObject({
  metadata: strictObject({
    feature_names: z.array(z.string()).describe('Column names: the entity key columns as requested, then the features (`feature`, or `view__feature` with full_feature_names).'),
  }),
  results: z
    .array(
      strictObject({
        values: z.array(featureValueSchema).describe("One per entity row: the ids as requested, or the feature's values (its default where there is none)."),
        statuses: z.array(feastStatusSchema),
        event_timestamps: z.array(z.iso.datetime()).describe('RFC 3339, UTC; 1970-01-01T00:00:00Z for entity key columns and NOT_FOUND values.'),
      }),
    )
    .describe('One per name in metadata.feature_names, in the same order.'),
}).describe("Feast's get-online-features response.");

/** A Feast get-online-features response. */
export type FeastResponse = z.output<typeof feastResponseSchema>;
