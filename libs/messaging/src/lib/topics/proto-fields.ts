import { isValidEntityId, isValidName } from '@bnpl/feature-definitions';
import { z } from 'zod';

// Zod schemas for the fields of decoded protobufjs plain objects (see topic.ts: 64-bit integers arrive as
// decimal strings, enums by name, unset messages as null), and the reverse mappings used by encode.

/** A catalog name: entity or feature view. */
export const nameField = z.string().refine(isValidName, { message: 'must be a lower_snake_case name' });

/** A canonical entity id: a positive decimal int64 without leading zeros. proto3 sends 0 for "unset". */
export const entityIdField = z.string().refine(isValidEntityId, { message: 'must be a positive integer (an entity id)' });

/** An int64 that must fit a JS number exactly (row counts). */
export const safeCountField = z
  .string()
  .transform(Number)
  .refine((n) => Number.isSafeInteger(n) && n >= 0, { message: 'must be a non-negative integer below 2^53' });

const timestampObject = z.object({ seconds: z.string(), nanos: z.number() }).nullable();

function toDate(t: { seconds: string; nanos: number }): Date {
  return new Date(Number(t.seconds) * 1000 + Math.floor(t.nanos / 1e6));
}

/** A google.protobuf.Timestamp that must be set, as a Date (millisecond precision, as JS Dates have). */
export const timestampField = timestampObject.transform((t, ctx): Date => {
  const date = t === null ? undefined : toDate(t);
  if (date === undefined || Number.isNaN(date.getTime())) {
    ctx.addIssue({ code: 'custom', message: t === null ? 'is required' : 'is not a valid time' });
    return z.NEVER;
  }
  return date;
});

/** An optional google.protobuf.Timestamp, as a Date or undefined. */
export const optionalTimestampField = timestampObject.transform((t, ctx): Date | undefined => {
  if (t === null) return undefined;
  const date = toDate(t);
  if (!Number.isNaN(date.getTime())) return date;
  ctx.addIssue({ code: 'custom', message: 'is not a valid time' });
  return z.NEVER;
});

/** A Date as a google.protobuf.Timestamp plain object, or a RangeError naming `field`. */
export function toTimestamp(date: Date, field: string): { seconds: string; nanos: number } {
  const ms = date instanceof Date ? date.getTime() : NaN;
  if (Number.isNaN(ms)) throw new RangeError(`${field}: ${String(date)} is not a valid Date`);
  const seconds = Math.floor(ms / 1000);
  return { seconds: String(seconds), nanos: (ms - seconds * 1000) * 1e6 };
}

/**
 * A proto enum, without its `<ENUM>_` prefix and never its zero value: `JOB_KIND_BACKFILL` -> `BACKFILL`.
 * An unknown number (from a newer producer) fails too: the consumer cannot act on it.
 */
export function enumField<const V extends readonly [string, ...string[]]>(prefix: string, values: V) {
  const names = new Map<string, V[number]>(values.map((v) => [`${prefix}_${v}`, v]));
  return z.union([z.string(), z.number()]).transform((raw, ctx): V[number] => {
    const value = typeof raw === 'string' ? names.get(raw) : undefined;
    if (value === undefined) {
      ctx.addIssue({ code: 'custom', message: `must be one of ${values.join(', ')} (got ${String(raw)})` });
      return z.NEVER;
    }
    return value;
  });
}

// protobufjs truncates or wraps numbers that do not fit a field instead of failing; encode must fail.

/** `value` for an int32 field, or a RangeError naming `field`. */
export function int32(value: number, field: string): number {
  if (!Number.isInteger(value) || value < -(2 ** 31) || value >= 2 ** 31) throw new RangeError(`${field}: ${value} is not a 32-bit integer`);
  return value;
}

/** `value` for an int64 field (as protobufjs takes it: a decimal string), or a RangeError naming `field`. */
export function int64(value: number, field: string): string {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${field}: ${value} is not an integer below 2^53`);
  return String(value);
}

/** `value` for a uint64 field, or a RangeError naming `field`. */
export function uint64(value: bigint, field: string): string {
  if (value < 0n || value >= 2n ** 64n) throw new RangeError(`${field}: ${value} is not an unsigned 64-bit integer`);
  return String(value);
}
