import type { FeatureResult } from '../generated/bnpl/featurestore/v1/FeatureResult';
import type { FeatureValue } from '../generated/bnpl/featurestore/v1/FeatureValue';
import type { GetOnlineFeaturesResponse } from '../generated/bnpl/featurestore/v1/GetOnlineFeaturesResponse';
import type { Timestamp } from '../generated/google/protobuf/Timestamp';

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

type Int64 = NonNullable<FeatureValue['int64_value']>;
const TWO_32 = 4294967296;

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

// --- scalars ---------------------------------------------------------------------------------------------

/** An int64 as two's-complement 32-bit halves (what protobufjs' LongBits holds). */
function int64Bits(value: Int64): [lo: number, hi: number] {
  if (typeof value === 'object') return [value.low >>> 0, value.high >>> 0];
  if (typeof value === 'string') {
    const n = BigInt.asUintN(64, BigInt(value));
    return [Number(n & 0xffffffffn), Number(n >> 32n)];
  }
  let n = Math.trunc(value);
  const negative = n < 0;
  if (negative) n = -n;
  let lo = n >>> 0;
  let hi = ((n - lo) / TWO_32) >>> 0;
  if (negative) {
    hi = ~hi >>> 0;
    lo = ~lo >>> 0;
    if (++lo > 0xffffffff) {
      lo = 0;
      if (++hi > 0xffffffff) hi = 0;
    }
  }
  return [lo, hi];
}

function int64Size(value: Int64): number {
  // Small non-negative numbers (counts, amounts, seconds) are nearly all of them: no halves needed.
  if (typeof value === 'number' && value >= 0 && value < TWO_32) return varint32Size(value);
  const [lo, hi] = int64Bits(value);
  return varint64Size(lo, hi);
}

function int32Size(value: number): number {
  // A negative int32 is written sign-extended to 64 bits: always 10 bytes.
  return value < 0 ? 10 : varint32Size(value);
}

function varint32Size(v: number): number {
  return v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x200000 ? 3 : v < 0x10000000 ? 4 : 5;
}

function varint64Size(lo: number, hi: number): number {
  // 7 bits a byte: the value has 64 - clz32(hi) significant bits when hi is not 0.
  return hi === 0 ? varint32Size(lo) : Math.ceil((64 - Math.clz32(hi)) / 7);
}

function lengthDelimitedSize(length: number): number {
  return varint32Size(length) + length;
}

/** UTF-8 byte length; ASCII (nearly every name, code and currency) without a call into Buffer. */
function stringSize(s: string): number {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return Buffer.byteLength(s, 'utf8');
  return s.length;
}

/** Writes into a buffer of the exact size computed beforehand. */
class Writer {
  readonly buf: Buffer;
  pos = 0;

  constructor(size: number) {
    this.buf = Buffer.allocUnsafe(size);
  }

  byte(b: number): void {
    this.buf[this.pos++] = b;
  }

  varint32(v: number): void {
    while (v > 0x7f) {
      this.buf[this.pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.buf[this.pos++] = v;
  }

  int32(v: number): void {
    if (v < 0) this.varint64(v >>> 0, 0xffffffff);
    else this.varint32(v);
  }

  int64(value: Int64): void {
    if (typeof value === 'number' && value >= 0 && value < TWO_32) return this.varint32(value);
    const [lo, hi] = int64Bits(value);
    this.varint64(lo, hi);
  }

  varint64(lo: number, hi: number): void {
    while (hi !== 0) {
      this.buf[this.pos++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    this.varint32(lo);
  }

  double(v: number): void {
    this.pos = this.buf.writeDoubleLE(v, this.pos);
  }

  string(s: string): void {
    const length = stringSize(s);
    this.varint32(length);
    if (length === s.length) {
      for (let i = 0; i < length; i++) this.buf[this.pos++] = s.charCodeAt(i);
    } else {
      this.pos += this.buf.write(s, this.pos, 'utf8');
    }
  }
}
