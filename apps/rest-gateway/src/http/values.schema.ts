import { z } from 'zod';
import { describeValue, quoteInput, VALUE_TYPES, type ValueType } from '@bnpl/feature-definitions';
import { type CatalogDescription } from '@bnpl/serving';

/**
 * A strict object: an unknown field is rejected, naming it and the known ones, so that a misspelt field
 * is never silently ignored.
 */
export function strictObject<T extends z.ZodRawShape>(shape: T) {
  const known = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown field ${issue.keys.map((k) => quoteInput(k)).join(', ')} (known fields: ${known})` : undefined),
  });
}

/**
 * An entity id as a request may carry it: a decimal string, or a JSON integer a double holds exactly.
 * The id's form (positive, no leading zeros, bigint range) is checked once, by the read path, as for
 * every edge.
 */
export const entityIdSchema = z
  .union(
    [
      z.string(),
      // Its message shows only for integers beyond 2^53-1; other non-ids get the union's message.
      z.int({ error: (issue) => `${String(issue.input)} is beyond 2^53-1 (9007199254740991), where JSON numbers lose precision: send ids as decimal strings` }),
    ],
    { error: (issue) => (typeof issue.input === 'number' ? `${issue.input} is not an integer id` : `expected an id as a decimal string such as "42", got ${describeValue(issue.input)}`) },
  )
  .describe(
    'Entity id: a positive integer as a decimal string without leading zeros (1..9223372036854775807). A JSON integer is accepted up to 2^53-1; beyond that JSON numbers lose precision, so larger ids must be strings.',
  );

/** The largest integer a JSON number (a double) holds exactly. */
const MAX_EXACT = Number.MAX_SAFE_INTEGER;

const currencySchema = z
  .string()
  .regex(/^[A-Z]{3}$/, { error: 'expected an ISO 4217 currency code such as "EUR"' })
  .describe('ISO 4217 currency code; XXX (no currency) in defaults.');

/**
 * MONEY as every REST answer writes it: gRPC's JSON mapping of `bnpl.featurestore.v1.Money` (int64 as a
 * decimal string, so that no JSON parser rounds it), with the proto's field names.
 */
export const moneySchema = strictObject({
  amount_minor: z
    .string()
    .regex(/^-?(0|[1-9]\d*)$/)
    .describe('Integer minor units (cents) as a decimal string, as protobuf writes an int64 in JSON; never a float.'),
  currency: currencySchema,
}).describe('Money: integer minor units with an ISO 4217 currency code (`{"amount_minor": "12000", "currency": "EUR"}`, as in gRPC JSON).');

/** An amount of minor units in a request: a decimal string, or a JSON integer, as protobuf's JSON parsers accept an int64. */
const amountMinorInputSchema = z
  .union(
    [
      z
        .string()
        .regex(/^-?(0|[1-9]\d*)$/, { error: 'expected an integer of minor units as a decimal string such as "12000"' })
        .refine((s) => Math.abs(Number(s)) <= MAX_EXACT, { error: (issue) => `${String(issue.input)} is beyond 2^53-1 (9007199254740991) minor units` }),
      z.int({ error: (issue) => `${String(issue.input)} is beyond 2^53-1 (9007199254740991) minor units: send it as a decimal string` }),
    ],
    { error: (issue) => (typeof issue.input === 'number' ? `${issue.input} is not an integer of minor units` : `expected an integer of minor units as a decimal string such as "12000", got ${describeValue(issue.input)}`) },
  )
  .describe('Integer minor units: a decimal string such as "12000" (a JSON integer is accepted too, as protobuf JSON parsers accept an int64).');

/** MONEY in a request (a request input): the same shape as in answers. */
export const moneyInputSchema = strictObject({ amount_minor: amountMinorInputSchema, currency: currencySchema }).describe(
  'Money, as in answers and in gRPC JSON: `{"amount_minor": "12000", "currency": "EUR"}`.',
);

/** A validated MONEY request value (`amount_minor` still as given). */
export type MoneyInput = z.output<typeof moneyInputSchema>;

/** A feature's or request input's declared type (INT64, DOUBLE, STRING, BOOL, MONEY). */
export const valueTypeSchema = z.enum(VALUE_TYPES as [ValueType, ...ValueType[]]).describe('The type of a feature or request input.');

/** A served feature value, of any value type. */
export const featureValueSchema = z
  .union([z.number(), z.string(), z.boolean(), moneySchema])
  .describe("A feature value: INT64 and DOUBLE as JSON numbers, STRING, BOOL, MONEY as an object (`amount_minor` a decimal string). Never null: the feature's default stands in.");

/** A request input's value, by its declared type. */
const INPUT_SCHEMAS: Readonly<Record<ValueType, z.ZodType>> = {
  INT64: z.int(),
  DOUBLE: z.number(),
  STRING: z.string(),
  BOOL: z.boolean(),
  MONEY: moneyInputSchema,
};

/** Every request input of the catalog's request-time views, by name and type. */
export function requestInputsOf(catalog: CatalogDescription): Readonly<Record<string, ValueType>> {
  return Object.assign({}, ...catalog.views.map((v) => v.requestInputs)) as Record<string, ValueType>;
}

/** The schema of one request input's value. */
export function requestInputSchema(type: ValueType): z.ZodType {
  return INPUT_SCHEMAS[type];
}

/** The join keys entity rows may carry (`customer_id`, `merchant_id`). */
export function joinKeysOf(catalog: CatalogDescription): readonly string[] {
  return catalog.entities.map((e) => e.joinKey);
}
