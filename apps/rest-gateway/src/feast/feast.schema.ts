import { z } from 'zod';
import { describeValue } from '@bnpl/feature-definitions';
import { type CatalogDescription } from '@bnpl/serving';
import { featureSelection, upToMaxRows } from '../features/online-features.schema';
import { featureValueSchema, joinKeysOf, requestInputSchema, requestInputsOf, strictObject } from '../http/values.schema';

/**
 * An entity key value as Feast clients send it. Every entity here is keyed by a bigint id, declared
 * INT64, and Feast converts entity values to the declared type: a JSON integer, or a decimal string that
 * converts to one ("42" is 42). Whether the id exists, and its range, is the read path's check.
 */
export const feastEntityValueSchema = z
  .union(
    [
      z.string().regex(/^\d{1,40}$/, { error: (issue) => `expected an INT64 entity value: an integer, or a decimal string such as "42", got ${describeValue(issue.input)}` }),
      // Its message shows only for integers beyond 2^53-1; other non-integers get the union's message.
      z.int({ error: (issue) => `${String(issue.input)} is beyond 2^53-1 (9007199254740991), where JSON numbers lose precision: send larger ids as decimal strings` }),
    ],
    { error: (issue) => `expected an INT64 entity value: an integer, or a decimal string such as "42", got ${describeValue(issue.input)}` },
  )
  .describe('An entity key value of the INT64 type every entity here declares: a JSON integer (exact up to 2^53-1), or a decimal string, converted as Feast converts entity values ("42" is 42).');

/**
 * The body of `POST /get-online-features`, as Feast's Python feature server takes it: entities as columns
 * (join key -> one value per entity row; request input -> one value per row). Like Feast's server (a
 * pydantic model), it ignores top-level fields it does not know, and entity columns that are neither a
 * join key nor a request input (Feast skips keys it does not recognise). The one schema that validates the
 * body and that the OpenAPI document shows.
 */
export function feastRequestSchema(catalog: CatalogDescription) {
  const joinKeys = joinKeysOf(catalog);
  const inputs = Object.entries(requestInputsOf(catalog));
  const entities = z
    .object({
      ...Object.fromEntries(joinKeys.map((key) => [key, upToMaxRows(feastEntityValueSchema).optional().describe(`One ${key} per entity row.`)])),
      ...Object.fromEntries(
        inputs.map(([name, type]) => [
          name,
          upToMaxRows(requestInputSchema(type))
            .optional()
            .describe(`Request data: the ${type} input \`${name}\` of request-time features, one per entity row, the same in every row.`),
        ]),
      ),
    })
    .describe(
      `Entity columns: join keys (${joinKeys.join(', ')}) and request data (${inputs.map(([name]) => name).join(', ')}), all of the same length (the number of entity rows). Other columns are ignored, as Feast ignores keys it does not recognise.`,
    );
  return z
    .object({
      // Feast's own clients send null for the selection they do not use.
      features: featureSelection.features.nullish(),
      feature_service: featureSelection.feature_service.nullish().describe('A feature service, e.g. `credit_decision_v1`. As in Feast, it wins over `features` when both are given.'),
      entities,
      full_feature_names: z.boolean().default(false).describe('Name features `view__feature` rather than `feature`.'),
      include_feature_view_version_metadata: z
        .boolean()
        .default(false)
        .describe("Sent on every call by Feast's remote online store since Feast 0.64. Accepted; feature views here are not versioned, so no version metadata is returned."),
    })
    .describe("Feast's get-online-features request. Fields other than these are ignored, as Feast's server ignores them.");
}

/** A validated Feast request (entity columns in the schema's key order; values as given). */
export type FeastRequest = z.output<ReturnType<typeof feastRequestSchema>>;

/** Feast's FieldStatus names, as its feature server writes them. */
export const feastStatusSchema = z
  .enum(['PRESENT', 'NOT_FOUND', 'NULL_VALUE', 'OUTSIDE_MAX_AGE'])
  .describe(
    "Feast's field status, from this store's: PRESENT from PRESENT; OUTSIDE_MAX_AGE from STALE (older than the view's TTL; the value is sent); NULL_VALUE from DEFAULT (the entity exists, the value does not; null is sent); NOT_FOUND from MISSING (unknown entity; null is sent).",
  );

/** The answer of `POST /get-online-features`, in Feast's layout: one results entry per column. */
export const feastResponseSchema = strictObject({
  metadata: strictObject({
    feature_names: z.array(z.string()).describe('Column names: the join key columns as requested, then the features (`feature`, or `view__feature` with full_feature_names).'),
  }),
  results: z
    .array(
      strictObject({
        values: z
          .array(featureValueSchema.nullable())
          .describe('One per entity row, in request order: join key columns the ids as integers; feature columns the value, null for NOT_FOUND and NULL_VALUE (as Feast sends an unset value).'),
        statuses: z.array(feastStatusSchema),
        event_timestamps: z.array(z.iso.datetime()).describe('RFC 3339, UTC, as protobuf writes a Timestamp; 1970-01-01T00:00:00Z for join key columns and NOT_FOUND values.'),
      }),
    )
    .describe('One per name in metadata.feature_names, in the same order.'),
}).describe("Feast's get-online-features response.");

/** A Feast get-online-features response as it reads once parsed. */
export type FeastResponseJson = z.output<typeof feastResponseSchema>;

/** The error document inside Feast's error answers (`FeastError.to_error_detail()`). */
export const feastErrorDetailSchema = strictObject({
  module: z.string().describe('`feast.errors` for the errors Feast has a class for (Feast clients rebuild those), `bnpl.featurestore.errors` otherwise.'),
  class: z.string().describe('The error class, e.g. `FeatureViewNotFoundException`.'),
  message: z.string().describe('What was wrong, naming the field, feature, view or service at fault.'),
}).describe("An error of Feast's feature server: module, class and message.");

/**
 * Feast's error answer: FastAPI's JSONResponse of `FeastError.to_error_detail()`, which is itself a JSON
 * string, so the body is a JSON string holding the FeastErrorDetail document. Feast's client
 * (`rest_error_handler`) decodes it twice and raises the error class it names.
 */
export const feastErrorSchema = z
  .string()
  .describe("A JSON string holding a FeastErrorDetail document (`{\"module\": ..., \"class\": ..., \"message\": ...}`), exactly as Feast's feature server sends errors: decode it twice.");
