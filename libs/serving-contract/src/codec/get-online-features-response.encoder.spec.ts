import type { Long } from '@grpc/proto-loader';
import { resolve } from 'node:path';
import { loadFeatureServingService } from '../index';
import type { FeatureResult } from '../generated/bnpl/featurestore/v1/FeatureResult';
import type { FeatureValue } from '../generated/bnpl/featurestore/v1/FeatureValue';
import type { GetOnlineFeaturesResponse } from '../generated/bnpl/featurestore/v1/GetOnlineFeaturesResponse';
import {
  encodeGetOnlineFeaturesResponse,
  encodeServedFeatures,
  serializeGetOnlineFeaturesResponse,
  type ServedFeatures,
  type ServedFeatureValue,
  type ServedValueType,
} from './get-online-features-response.encoder';

// The reference is the serializer the encoder replaces: @grpc/proto-loader's (protobufjs) for the same proto.
const rpc = loadFeatureServingService(resolve(__dirname, '../../../../proto')).GetOnlineFeatures;

function expectSameBytes(response: GetOnlineFeaturesResponse): void {
  const expected = rpc.responseSerialize(response);
  const actual = encodeGetOnlineFeaturesResponse(response);
  expect(actual.toString('hex')).toBe(expected.toString('hex'));
}

/** A repeatable random source for the randomized tests: numbers in [0, 1), a pick, and a mix of int64 values. */
function seeded(start: number) {
  let seed = start;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const int = () => pick([0, 1, 300, 2 ** 40, -7, -(2 ** 45), Math.floor(random() * 2 ** 53) * (random() < 0.5 ? -1 : 1)]);
  return { random, pick, int };
}

const long = (low: number, high: number) => ({ low, high, unsigned: false }) as unknown as Long;
const one = (result: FeatureResult): GetOnlineFeaturesResponse => ({ feature_names: ['v:f'], rows: [{ values: [result] }] });

describe('encodeGetOnlineFeaturesResponse', () => {
  it('writes what protobufjs writes for a typical answer', () => {
    const at = { seconds: 1_740_823_200, nanos: 250_000_000 };
    expectSameBytes({
      feature_names: ['customer_exposure:outstanding_balance', 'customer_profile:country', 'customer_exposure:utilization', 'customer_profile:kyc_level'],
      rows: Array.from({ length: 100 }, (_, i) => ({
        values: [
          { value: { money_value: { amount_minor: 20_000 + i, currency: 'EUR' } }, status: 'FEATURE_STATUS_PRESENT', event_time: at },
          { value: { string_value: 'DE' }, status: 'FEATURE_STATUS_STALE', event_time: at },
          { value: { double_value: i / 7 }, status: 'FEATURE_STATUS_DEFAULT', event_time: at },
          { value: { int64_value: 0 }, status: 'FEATURE_STATUS_MISSING', event_time: null },
        ],
      })),
    });
  });

  it.each<[string, FeatureValue['int64_value']]>([
    ['0', 0],
    ['127 / 128 (varint byte boundary)', 128],
    ['2^31', 2 ** 31],
    ['2^32 - 1', 2 ** 32 - 1],
    ['2^32', 2 ** 32],
    ['2^35 (6-byte varint)', 2 ** 35],
    ['2^53 - 1', Number.MAX_SAFE_INTEGER],
    ['-1', -1],
    ['-(2^53 - 1)', -Number.MAX_SAFE_INTEGER],
    ['a decimal string', '12345678901234'],
    ['int64 max as a string', '9223372036854775807'],
    ['int64 min as a string', '-9223372036854775808'],
    ['a Long', long(-1, 0x7fffffff)],
  ])('writes int64 %s as protobufjs does, in values, money and timestamps', (_what, n) => {
    expectSameBytes(one({ value: { int64_value: n } }));
    expectSameBytes(one({ value: { money_value: { amount_minor: n, currency: 'EUR' } } }));
    expectSameBytes(one({ event_time: { seconds: n, nanos: 0 } }));
  });

  it.each<[string, FeatureValue]>([
    ['a double', { double_value: 0.1 }],
    ['NaN', { double_value: Number.NaN }],
    ['-0', { double_value: -0 }],
    ['-Infinity as a string', { double_value: '-Infinity' }],
    ['an empty string', { string_value: '' }],
    ['a non-ASCII string', { string_value: 'Zürich 💶' }],
    ['a 200-byte string (2-byte length)', { string_value: 'x'.repeat(200) }],
    ['a 20,000-byte string (3-byte length)', { string_value: 'é'.repeat(10_000) }],
    ['true', { bool_value: true }],
    ['false', { bool_value: false }],
    ['money without an amount', { money_value: { currency: 'XXX' } }],
    ['money without a currency', { money_value: { amount_minor: 5 } }],
    ['empty money', { money_value: {} }],
    ['no member', {}],
    ['two members (all set members are written, in field order)', { int64_value: 3, string_value: 'x' }],
  ])('writes a FeatureValue with %s as protobufjs does', (_what, value) => {
    expectSameBytes(one({ value, status: 'FEATURE_STATUS_PRESENT' }));
  });

  it('writes a lone surrogate as U+FFFD (valid UTF-8, as proto3 requires), where protobufjs writes invalid bytes for short strings', () => {
    const bytes = encodeGetOnlineFeaturesResponse(one({ value: { string_value: '\ud800x' } }));
    expect(rpc.responseDeserialize(bytes).rows[0].values[0].value?.string_value).toBe('\ufffdx');
  });

  it.each<[string, FeatureResult]>([
    ['UNSPECIFIED', { status: 'FEATURE_STATUS_UNSPECIFIED' }],
    ['PRESENT', { status: 'FEATURE_STATUS_PRESENT' }],
    ['DEFAULT', { status: 'FEATURE_STATUS_DEFAULT' }],
    ['STALE', { status: 'FEATURE_STATUS_STALE' }],
    ['MISSING', { status: 'FEATURE_STATUS_MISSING' }],
    ['a status by number', { status: 3 }],
    ['nothing set', {}],
    ['a null value and event time', { value: null, event_time: null }],
    ['a negative nanos (10-byte int32)', { event_time: { seconds: -1, nanos: -5 } }],
    ['a timestamp without nanos', { event_time: { seconds: 1 } }],
  ])('writes a FeatureResult with %s as protobufjs does', (_what, result) => {
    expectSameBytes(one(result));
  });

  it('writes empty answers and long rows (multi-byte length prefixes) as protobufjs does', () => {
    expectSameBytes({});
    expectSameBytes({ feature_names: [], rows: [] });
    expectSameBytes({ rows: [{}, { values: [] }] });
    const values = Array.from({ length: 3_000 }, (_, i): FeatureResult => ({ value: { int64_value: i * 1_000_003 }, status: 'FEATURE_STATUS_PRESENT', event_time: { seconds: i, nanos: i } }));
    expectSameBytes({ feature_names: values.map((_, i) => `view:feature_${i}`), rows: [{ values }, { values }] });
  });

  it('writes what protobufjs writes for many random answers', () => {
    const { random, pick, int } = seeded(42);
    const value = (): FeatureValue =>
      pick<() => FeatureValue>([
        () => ({ int64_value: int() }),
        () => ({ double_value: random() * 1e6 - 5e5 }),
        () => ({ string_value: pick(['', 'DE', 'unknown', 'Ünïcödé', 'x'.repeat(Math.floor(random() * 300))]) }),
        () => ({ bool_value: random() < 0.5 }),
        () => ({ money_value: { amount_minor: int(), currency: pick(['EUR', 'GBP', 'XXX']) } }),
      ])();
    for (let n = 0; n < 200; n++) {
      const width = Math.floor(random() * 30);
      expectSameBytes({
        feature_names: Array.from({ length: width }, (_, i) => `view_${n}:feature_${i}`),
        rows: Array.from({ length: Math.floor(random() * 20) }, () => ({
          values: Array.from({ length: width }, (): FeatureResult => {
            const missing = random() < 0.2;
            return {
              value: value(),
              status: missing ? 'FEATURE_STATUS_MISSING' : pick(['FEATURE_STATUS_PRESENT', 'FEATURE_STATUS_DEFAULT', 'FEATURE_STATUS_STALE'] as const),
              event_time: missing ? null : { seconds: Math.floor(random() * 2e9), nanos: Math.floor(random() * 1e3) * 1e6 },
            };
          }),
        })),
      });
    }
  });
});

/** What the read path's result means on the wire, written out as a response object (the documented mapping). */
function mapped(served: ServedFeatures, types: readonly ServedValueType[]): GetOnlineFeaturesResponse {
  const status = { PRESENT: 'FEATURE_STATUS_PRESENT', DEFAULT: 'FEATURE_STATUS_DEFAULT', STALE: 'FEATURE_STATUS_STALE', MISSING: 'FEATURE_STATUS_MISSING' } as const;
  const valueOf = (type: ServedValueType, v: ServedFeatureValue['value']): FeatureValue => {
    switch (type) {
      case 'INT64':
        return { int64_value: v as number };
      case 'DOUBLE':
        return { double_value: v as number };
      case 'STRING':
        return { string_value: v as string };
      case 'BOOL':
        return { bool_value: v as boolean };
      case 'MONEY': {
        const money = v as { amountMinor: number; currency: string };
        return { money_value: { amount_minor: money.amountMinor, currency: money.currency } };
      }
    }
  };
  return {
    feature_names: [...served.feature_names],
    rows: served.results.map((row) => ({
      values: row.values.map((v, i) => {
        const ms = v.eventTime?.getTime();
        const seconds = ms === undefined ? 0 : Math.floor(ms / 1000);
        return {
          value: valueOf(types[i], v.value),
          status: status[v.status],
          event_time: ms === undefined ? null : { seconds, nanos: (ms - seconds * 1000) * 1_000_000 },
        };
      }),
    })),
  };
}

describe('encodeServedFeatures', () => {
  function expectSameBytesServed(served: ServedFeatures, types: readonly ServedValueType[]): void {
    const expected = rpc.responseSerialize(mapped(served, types));
    expect(encodeServedFeatures(served, types).toString('hex')).toBe(expected.toString('hex'));
  }
  const at = new Date('2025-03-01T10:00:00.250Z');

  it('writes what protobufjs writes for the mapped response of a typical answer', () => {
    const types: ServedValueType[] = ['MONEY', 'STRING', 'DOUBLE', 'INT64', 'BOOL'];
    expectSameBytesServed(
      {
        feature_names: ['customer_exposure:outstanding_balance', 'customer_profile:country', 'customer_exposure:utilization', 'customer_profile:kyc_level', 'customer_profile:active'],
        results: Array.from({ length: 100 }, (_, i) => ({
          values: [
            { value: { amountMinor: 20_000 + i, currency: 'EUR' }, status: 'PRESENT', eventTime: at },
            { value: 'DE', status: 'STALE', eventTime: at },
            { value: i / 7, status: 'DEFAULT', eventTime: new Date(at.getTime() + i) },
            { value: 0, status: 'MISSING', eventTime: null },
            { value: i % 2 === 0, status: 'PRESENT', eventTime: at },
          ],
        })),
      },
      types,
    );
  });

  it.each<[string, ServedValueType, ServedFeatureValue['value'], Date | null]>([
    ['a negative int64', 'INT64', -(2 ** 45), at],
    ['the largest exact integer', 'INT64', Number.MAX_SAFE_INTEGER, at],
    ['2^32 (a 5-byte varint)', 'INT64', 2 ** 32, at],
    ['negative money', 'MONEY', { amountMinor: -1, currency: 'GBP' }, at],
    ['NaN', 'DOUBLE', Number.NaN, at],
    ['-0', 'DOUBLE', -0, at],
    ['a non-ASCII string', 'STRING', 'Zürich 💶', at],
    ['a 20,000-byte string', 'STRING', 'é'.repeat(10_000), at],
    ['false', 'BOOL', false, at],
    ['an instant before 1970 (negative seconds, positive nanos)', 'INT64', 1, new Date(-1)],
    ['the epoch (both Timestamp fields written at 0)', 'INT64', 1, new Date(0)],
    ['no event time', 'STRING', '', null],
  ])('writes %s as protobufjs writes the mapped response', (_what, type, value, eventTime) => {
    expectSameBytesServed({ feature_names: ['v:f'], results: [{ values: [{ value, status: 'PRESENT', eventTime }] }] }, [type]);
  });

  it('writes empty answers as protobufjs does', () => {
    expectSameBytesServed({ feature_names: [], results: [] }, []);
    expectSameBytesServed({ feature_names: [], results: [{ values: [] }, { values: [] }] }, []);
    expectSameBytesServed({ feature_names: ['v:a', 'v:b'], results: [] }, ['INT64', 'BOOL']);
  });

  it('writes what protobufjs writes for many random answers', () => {
    const { random, pick, int } = seeded(7);
    const valueOf: Record<ServedValueType, () => ServedFeatureValue['value']> = {
      INT64: int,
      DOUBLE: () => random() * 1e6 - 5e5,
      STRING: () => pick(['', 'DE', 'unknown', 'Ünïcödé', 'x'.repeat(Math.floor(random() * 300))]),
      BOOL: () => random() < 0.5,
      MONEY: () => ({ amountMinor: int(), currency: pick(['EUR', 'GBP', 'XXX']) }),
    };
    for (let n = 0; n < 200; n++) {
      const types = Array.from({ length: Math.floor(random() * 30) }, () => pick<ServedValueType>(['INT64', 'DOUBLE', 'STRING', 'BOOL', 'MONEY']));
      const times = [null, new Date(Math.floor(random() * 4e12) - 1e12), new Date(Math.floor(random() * 4e12))];
      expectSameBytesServed(
        {
          feature_names: types.map((_, i) => `view_${n}:feature_${i}`),
          results: Array.from({ length: Math.floor(random() * 20) }, () => ({
            values: types.map((type) => ({ value: valueOf[type](), status: pick(['PRESENT', 'DEFAULT', 'STALE', 'MISSING'] as const), eventTime: pick(times) })),
          })),
        },
        types,
      );
    }
  });

  it('refuses a value of another type than its feature, and a row or type list of another width (internal errors)', () => {
    const one = (value: ServedFeatureValue['value']): ServedFeatures => ({ feature_names: ['v:f'], results: [{ values: [{ value, status: 'PRESENT', eventTime: null }] }] });
    expect(() => encodeServedFeatures(one('five'), ['INT64'])).toThrow(/Cannot serve "five" as INT64/);
    expect(() => encodeServedFeatures(one(5), ['MONEY'])).toThrow(TypeError);
    expect(() => encodeServedFeatures(one(true), ['STRING'])).toThrow(TypeError);
    expect(() => encodeServedFeatures(one(5), [])).toThrow(/0 value types for 1 features/);
    expect(() => encodeServedFeatures({ feature_names: ['v:f'], results: [{ values: [] }] }, ['INT64'])).toThrow(/row 0 has 0 values/);
  });
});

describe('serializeGetOnlineFeaturesResponse', () => {
  it('sends encoded bytes as they are, and encodes a response object', () => {
    const encoded = encodeServedFeatures({ feature_names: ['v:f'], results: [{ values: [{ value: 3, status: 'PRESENT', eventTime: null }] }] }, ['INT64']);
    expect(serializeGetOnlineFeaturesResponse(encoded)).toBe(encoded);
    const response = one({ value: { int64_value: 3 }, status: 'FEATURE_STATUS_PRESENT' });
    expect(serializeGetOnlineFeaturesResponse(response).toString('hex')).toBe(encoded.toString('hex'));
  });
});

