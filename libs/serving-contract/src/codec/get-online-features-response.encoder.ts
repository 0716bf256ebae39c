import type { FeatureResult } from '../generated/bnpl/featurestore/v1/FeatureResult';
import type { FeatureValue } from '../generated/bnpl/featurestore/v1/FeatureValue';
import type { GetOnlineFeaturesResponse } from '../generated/bnpl/featurestore/v1/GetOnlineFeaturesResponse';
import type { Timestamp } from '../generated/google/protobuf/Timestamp';
import { int32Size, int64Size, lengthDelimitedSize, stringSize, varint32Size, Writer, type Int64 } from './proto-writer';

// A hand-written protobuf encoder for the hot path's one large message. The generic serializer
// (@grpc/proto-loader: protobufjs `fromObject` then `encode`) builds a message object per value, a Long per
// int64 and a linked list of writer operations: for 100 rows x 25 features it costs several times more
// than this two-pass encoder (sizes, then bytes into one buffer). Its output is byte-for-byte what
// protobufjs writes for the same input (its spec proves it): fields in field-number order, a field written
// whenever it is set (not null / undefined), even at its default value. One deliberate difference: a lone
// UTF-16 surrogate becomes U+FFFD (valid UTF-8, as Buffer writes it) where protobufjs writes invalid bytes.

/** Wire tags: (field number << 3) | wire type (0 varint, 1 fixed64, 2 length-delimited). */
const TAG = {
  responseFeatureNames: 0x0a,
  responseRows: 0x12,
  rowValues: 0x0a,
  resultValue: 0x0a,
  resultStatus: 0x10,
  resultEventTime: 0x1a,
  valueInt64: 0x08,
  valueDouble: 0x11,
  valueString: 0x1a,
  valueBool: 0x20,
  valueMoney: 0x2a,
  moneyAmountMinor: 0x08,
  moneyCurrency: 0x12,
  timestampSeconds: 0x08,
  timestampNanos: 0x10,
} as const;

/** FeatureStatus numbers by name, as in serving.proto (the spec checks every member against protobufjs). */
const STATUS_NUMBERS: Readonly<Record<string, number>> = {
  FEATURE_STATUS_UNSPECIFIED: 0,
  FEATURE_STATUS_PRESENT: 1,
  FEATURE_STATUS_DEFAULT: 2,
  FEATURE_STATUS_STALE: 3,
  FEATURE_STATUS_MISSING: 4,
};

/**
 * Encodes a GetOnlineFeaturesResponse as protobufjs would (`responseSerialize` of the GetOnlineFeatures
 * method). int64 values may be numbers (integers), decimal strings or Longs, as the generated type allows.
 */
export function encodeGetOnlineFeaturesResponse(response: GetOnlineFeaturesResponse): Buffer {
  const names = response.feature_names ?? [];
  const rows = response.rows ?? [];
  // Pass 1: the size of every row, result and value (their length prefixes), two slots per entry in
  // encoding order: a row's size, or a result's size and its value's size.
  let count = 0;
  for (const row of rows) count += 1 + (row.values?.length ?? 0);
  const sizes = new Int32Array(2 * count);
  let total = 0;
  for (const name of names) total += 1 + lengthDelimitedSize(stringSize(name));
  let k = 0;
  for (const row of rows) {
    const rowSlot = k;
    k += 2;
    let rowSize = 0;
    for (const result of row.values ?? []) {
      const valueBytes = result.value != null ? valueSize(result.value) : 0;
      const size = resultSize(result, valueBytes);
      sizes[k] = size;
      sizes[k + 1] = valueBytes;
      k += 2;
      rowSize += 1 + lengthDelimitedSize(size);
    }
    sizes[rowSlot] = rowSize;
    total += 1 + lengthDelimitedSize(rowSize);
  }
  // Pass 2: the bytes.
  const w = new Writer(total);
  for (const name of names) {
    w.byte(TAG.responseFeatureNames);
    w.string(name);
  }
  k = 0;
  for (const row of rows) {
    w.byte(TAG.responseRows);
    w.varint32(sizes[k]);
    k += 2;
    for (const result of row.values ?? []) {
      w.byte(TAG.rowValues);
      w.varint32(sizes[k]);
      writeResult(w, result, sizes[k + 1]);
      k += 2;
    }
  }
  if (w.pos !== total) throw new Error(`GetOnlineFeaturesResponse encoder: wrote ${w.pos} bytes, sized ${total}`);
  return w.buf;
}

function resultSize(result: FeatureResult, valueBytes: number): number {
  let size = 0;
  if (result.value != null) size += 1 + lengthDelimitedSize(valueBytes);
  const status = statusNumber(result.status);
  if (status !== undefined) size += 1 + int32Size(status);
  if (result.event_time != null) size += 1 + lengthDelimitedSize(timestampSize(result.event_time));
  return size;
}

function writeResult(w: Writer, result: FeatureResult, valueBytes: number): void {
  if (result.value != null) {
    w.byte(TAG.resultValue);
    w.varint32(valueBytes);
    writeValue(w, result.value);
  }
  const status = statusNumber(result.status);
  if (status !== undefined) {
    w.byte(TAG.resultStatus);
    w.int32(status);
  }
  if (result.event_time != null) {
    w.byte(TAG.resultEventTime);
    w.varint32(timestampSize(result.event_time));
    writeTimestamp(w, result.event_time);
  }
}

function valueSize(value: FeatureValue): number {
  let size = 0;
  if (value.int64_value != null) size += 1 + int64Size(value.int64_value);
  if (value.double_value != null) size += 9;
  if (value.string_value != null) size += 1 + lengthDelimitedSize(stringSize(value.string_value));
  if (value.bool_value != null) size += 2;
  if (value.money_value != null) {
    const money = value.money_value;
    size += 1 + lengthDelimitedSize(moneySize(money.amount_minor, money.currency));
  }
  return size;
}

function writeValue(w: Writer, value: FeatureValue): void {
  if (value.int64_value != null) {
    w.byte(TAG.valueInt64);
    w.int64(value.int64_value);
  }
  if (value.double_value != null) {
    w.byte(TAG.valueDouble);
    w.double(Number(value.double_value));
  }
  if (value.string_value != null) {
    w.byte(TAG.valueString);
    w.string(value.string_value);
  }
  if (value.bool_value != null) {
    w.byte(TAG.valueBool);
    w.byte(value.bool_value ? 1 : 0);
  }
  if (value.money_value != null) {
    const { amount_minor: amount, currency } = value.money_value;
    w.byte(TAG.valueMoney);
    w.varint32(moneySize(amount, currency));
    if (amount != null) {
      w.byte(TAG.moneyAmountMinor);
      w.int64(amount);
    }
    if (currency != null) {
      w.byte(TAG.moneyCurrency);
      w.string(currency);
    }
  }
}

function moneySize(amount: Int64 | undefined, currency: string | undefined): number {
  return (amount != null ? 1 + int64Size(amount) : 0) + (currency != null ? 1 + lengthDelimitedSize(stringSize(currency)) : 0);
}

function timestampSize(t: Timestamp): number {
  return (t.seconds != null ? 1 + int64Size(t.seconds) : 0) + (t.nanos != null ? 1 + int32Size(t.nanos) : 0);
}

function writeTimestamp(w: Writer, t: Timestamp): void {
  if (t.seconds != null) {
    w.byte(TAG.timestampSeconds);
    w.int64(t.seconds);
  }
  if (t.nanos != null) {
    w.byte(TAG.timestampNanos);
    w.int32(t.nanos);
  }
}

function statusNumber(status: FeatureResult['status']): number | undefined {
  return typeof status === 'number' ? status : status == null ? undefined : STATUS_NUMBERS[status];
}

// --- straight from the read path's result -----------------------------------------------------------------

/** A feature's value type, as the catalog names it: it picks the FeatureValue member a value is written to. */
export type ServedValueType = 'INT64' | 'DOUBLE' | 'STRING' | 'BOOL' | 'MONEY';

/** One value as the read path serves it: a bare value of its feature's type, a status, the event time. */
export interface ServedFeatureValue {
  readonly value: number | string | boolean | { readonly amountMinor: number; readonly currency: string };
  readonly status: 'PRESENT' | 'DEFAULT' | 'STALE' | 'MISSING';
  readonly eventTime: Date | null;
}

/** The read path's answer, as far as the wire needs it: names, then one list of values per entity row. */
export interface ServedFeatures {
  readonly feature_names: readonly string[];
  readonly results: readonly { readonly values: readonly ServedFeatureValue[] }[];
}

/**
 * A GetOnlineFeaturesResponse already encoded (`encodeServedFeatures`): a handler may return it where the
 * response is due, and the serializer `installFastEncoders` installs sends its bytes as they are.
 */
export type EncodedGetOnlineFeaturesResponse = Buffer & { readonly __encoded: 'GetOnlineFeaturesResponse' };

/** The installed serializer: bytes already encoded pass through, a response object is encoded. */
export function serializeGetOnlineFeaturesResponse(response: GetOnlineFeaturesResponse | EncodedGetOnlineFeaturesResponse): Buffer {
  return Buffer.isBuffer(response) ? response : encodeGetOnlineFeaturesResponse(response);
}

const SERVED_STATUS: Readonly<Record<ServedFeatureValue['status'], number>> = { PRESENT: 1, DEFAULT: 2, STALE: 3, MISSING: 4 };

/**
 * A GetOnlineFeaturesResponse encoded straight from the read path's result, with no message object per
 * value: the same bytes as `encodeGetOnlineFeaturesResponse` of the mapped response (every value set, its
 * status, its event time as a Timestamp of millisecond precision when there is one), which its spec proves.
 * `types[i]` is the value type of `feature_names[i]`. Throws a TypeError (an internal error) on a value
 * that does not have its feature's type.
 */
export function encodeServedFeatures(served: ServedFeatures, types: readonly ServedValueType[]): EncodedGetOnlineFeaturesResponse {
  const names = served.feature_names;
  const rows = served.results;
  if (types.length !== names.length) throw new TypeError(`${types.length} value types for ${names.length} features`);
  // Pass 1: a row's size, then each value's size, in encoding order.
  let count = 0;
  for (let r = 0; r < rows.length; r++) count += 1 + rows[r].values.length;
  const sizes = new Int32Array(count);
  const times = new TimestampCache();
  let total = 0;
  for (let i = 0; i < names.length; i++) total += 1 + lengthDelimitedSize(stringSize(names[i]));
  let k = 0;
  for (let r = 0; r < rows.length; r++) {
    const values = rows[r].values;
    if (values.length !== types.length) throw new TypeError(`row ${r} has ${values.length} values for ${types.length} features`);
    const rowSlot = k++;
    let rowSize = 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      const valueBytes = servedValueSize(types[i], v.value);
      // value (always set), status (1-4: one byte), event time when there is one.
      let size = 1 + lengthDelimitedSize(valueBytes) + 2;
      if (v.eventTime !== null) size += 1 + lengthDelimitedSize(times.of(v.eventTime).size);
      sizes[k++] = valueBytes;
      rowSize += 1 + lengthDelimitedSize(size);
    }
    sizes[rowSlot] = rowSize;
    total += 1 + lengthDelimitedSize(rowSize);
  }
  // Pass 2: the bytes. A value's result size is derived again from its value size (cheap arithmetic).
  const w = new Writer(total);
  for (let i = 0; i < names.length; i++) {
    w.byte(TAG.responseFeatureNames);
    w.string(names[i]);
  }
  k = 0;
  for (let r = 0; r < rows.length; r++) {
    const values = rows[r].values;
    w.byte(TAG.responseRows);
    w.varint32(sizes[k++]);
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      const valueBytes = sizes[k++];
      const time = v.eventTime === null ? null : times.of(v.eventTime);
      w.byte(TAG.rowValues);
      w.varint32(1 + lengthDelimitedSize(valueBytes) + 2 + (time === null ? 0 : 1 + lengthDelimitedSize(time.size)));
      w.byte(TAG.resultValue);
      w.varint32(valueBytes);
      writeServedValue(w, types[i], v.value);
      w.byte(TAG.resultStatus);
      w.byte(SERVED_STATUS[v.status]);
      if (time !== null) {
        w.byte(TAG.resultEventTime);
        w.varint32(time.size);
        w.byte(TAG.timestampSeconds);
        w.int64(time.seconds);
        w.byte(TAG.timestampNanos);
        w.varint32(time.nanos);
      }
    }
  }
  if (w.pos !== total) throw new Error(`GetOnlineFeaturesResponse encoder: wrote ${w.pos} bytes, sized ${total}`);
  return w.buf as EncodedGetOnlineFeaturesResponse;
}

/** A Date as Timestamp fields, and their size; the last instant is kept (a view's values share theirs). */
class TimestampCache {
  #ms = Number.NaN;
  #entry = { seconds: 0, nanos: 0, size: 0 };
  of(date: Date): { readonly seconds: number; readonly nanos: number; readonly size: number } {
    const ms = date.getTime();
    if (ms !== this.#ms) {
      this.#ms = ms;
      const seconds = Math.floor(ms / 1000);
      const nanos = (ms - seconds * 1000) * 1_000_000;
      // Both fields are always written, even at 0, as the mapped Timestamp sets both.
      this.#entry = { seconds, nanos, size: 1 + int64Size(seconds) + 1 + varint32Size(nanos) };
    }
    return this.#entry;
  }
}

function servedValueSize(type: ServedValueType, value: ServedFeatureValue['value']): number {
  switch (type) {
    case 'INT64':
      if (typeof value === 'number') return 1 + int64Size(value);
      break;
    case 'DOUBLE':
      if (typeof value === 'number') return 9;
      break;
    case 'STRING':
      if (typeof value === 'string') return 1 + lengthDelimitedSize(stringSize(value));
      break;
    case 'BOOL':
      if (typeof value === 'boolean') return 2;
      break;
    case 'MONEY':
      if (typeof value === 'object') return 1 + lengthDelimitedSize(moneySize(value.amountMinor, value.currency));
      break;
  }
  throw new TypeError(`Cannot serve ${JSON.stringify(value)} as ${type}`);
}

/** Writes a value whose type `servedValueSize` has checked. */
function writeServedValue(w: Writer, type: ServedValueType, value: ServedFeatureValue['value']): void {
  switch (type) {
    case 'INT64':
      w.byte(TAG.valueInt64);
      w.int64(value as number);
      return;
    case 'DOUBLE':
      w.byte(TAG.valueDouble);
      w.double(value as number);
      return;
    case 'STRING':
      w.byte(TAG.valueString);
      w.string(value as string);
      return;
    case 'BOOL':
      w.byte(TAG.valueBool);
      w.byte(value ? 1 : 0);
      return;
    case 'MONEY': {
      const { amountMinor, currency } = value as { amountMinor: number; currency: string };
      w.byte(TAG.valueMoney);
      w.varint32(moneySize(amountMinor, currency));
      w.byte(TAG.moneyAmountMinor);
      w.int64(amountMinor);
      w.byte(TAG.moneyCurrency);
      w.string(currency);
      return;
    }
  }
}
