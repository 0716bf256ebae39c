// Protobuf wire primitives shared by the hand-written encoders: sizes first (every length prefix is known
// before a byte is written), then bytes into one buffer of exactly that size.

/** An int64 as protobufjs' generated types allow it: a number (integer), a decimal string or a Long. */
export type Int64 = number | string | { low: number; high: number; unsigned: boolean };
const TWO_32 = 4294967296;

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

export function int64Size(value: Int64): number {
  // Small non-negative numbers (counts, amounts, seconds) are nearly all of them: no halves needed.
  if (typeof value === 'number' && value >= 0 && value < TWO_32) return varint32Size(value);
  const [lo, hi] = int64Bits(value);
  return varint64Size(lo, hi);
}

export function int32Size(value: number): number {
  // A negative int32 is written sign-extended to 64 bits: always 10 bytes.
  return value < 0 ? 10 : varint32Size(value);
}

export function varint32Size(v: number): number {
  return v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x200000 ? 3 : v < 0x10000000 ? 4 : 5;
}

function varint64Size(lo: number, hi: number): number {
  // 7 bits a byte: the value has 64 - clz32(hi) significant bits when hi is not 0.
  return hi === 0 ? varint32Size(lo) : Math.ceil((64 - Math.clz32(hi)) / 7);
}

export function lengthDelimitedSize(length: number): number {
  return varint32Size(length) + length;
}

/** UTF-8 byte length; ASCII (nearly every name, code and currency) without a call into Buffer. */
export function stringSize(s: string): number {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return Buffer.byteLength(s, 'utf8');
  return s.length;
}

/** Writes into a buffer of the exact size computed beforehand. */
export class Writer {
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
