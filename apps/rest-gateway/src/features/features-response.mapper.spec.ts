import { money } from '@bnpl/feature-definitions';
import { type GetOnlineFeaturesResult } from '@bnpl/serving';
import { seededRandom } from '@bnpl/testing';
import { toFeaturesResponse, writeFeaturesResponse } from './features-response.mapper';
import { featuresResponseSchema } from './online-features.schema';

const T = new Date('2025-03-15T11:59:00.000Z');

const result: GetOnlineFeaturesResult = {
  feature_names: ['customer_exposure:outstanding_balance', 'customer_profile:kyc_level', 'customer_profile:country'],
  results: [
    {
      entityRow: { customer_id: '1', merchant_id: '10' },
      values: [
        { value: money(20_000, 'EUR'), status: 'PRESENT', eventTime: T },
        { value: 2, status: 'STALE', eventTime: T },
        { value: 'DE', status: 'DEFAULT', eventTime: T },
      ],
    },
    {
      entityRow: { customer_id: '999999', merchant_id: undefined },
      values: [
        { value: money(0, 'XXX'), status: 'MISSING', eventTime: null },
        { value: 0, status: 'MISSING', eventTime: null },
        { value: '', status: 'MISSING', eventTime: null },
      ],
    },
  ],
};

describe('features response mapper', () => {
  it('writes the snake_case body: entity_row, event_time, money as in gRPC JSON', () => {
    expect(toFeaturesResponse(result)).toEqual({
      feature_names: ['customer_exposure:outstanding_balance', 'customer_profile:kyc_level', 'customer_profile:country'],
      results: [
        {
          entity_row: { customer_id: '1', merchant_id: '10' },
          values: [
            { value: { amount_minor: '20000', currency: 'EUR' }, status: 'PRESENT', event_time: '2025-03-15T11:59:00.000Z' },
            { value: 2, status: 'STALE', event_time: '2025-03-15T11:59:00.000Z' },
            { value: 'DE', status: 'DEFAULT', event_time: '2025-03-15T11:59:00.000Z' },
          ],
        },
        {
          entity_row: { customer_id: '999999' },
          values: [
            { value: { amount_minor: '0', currency: 'XXX' }, status: 'MISSING', event_time: null },
            { value: 0, status: 'MISSING', event_time: null },
            { value: '', status: 'MISSING', event_time: null },
          ],
        },
      ],
    });
  });

  it('answers what the documented schema describes, with no camelCase field left', () => {
    const body = toFeaturesResponse(result);
    expect(featuresResponseSchema.safeParse(body).error).toBeUndefined();
    expect(JSON.stringify(body)).not.toMatch(/"[a-z]+[A-Z]\w*":/);
  });
});

describe('writeFeaturesResponse', () => {
  it('writes exactly the text JSON.stringify makes of the mapped body', () => {
    expect(writeFeaturesResponse(result)).toBe(JSON.stringify(toFeaturesResponse(result)));
  });

  it('agrees with JSON.stringify on random results: escapes, odd numbers, money, shared and missing times', () => {
    const random = seededRandom(7);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
    const strings = ['', 'DE', 'a"b', 'back\\slash', 'line\nbreak', 'tab\t', 'ünïcödé', '\u2028', '</script>', '\u0000'];
    const numbers = [0, -0, 1, -1.5, 0.1 + 0.2, 1e21, 1e-7, Number.MAX_SAFE_INTEGER, NaN, Infinity, -Infinity];
    const times = [new Date('2025-03-15T11:59:00.000Z'), new Date(0), new Date('1999-12-31T23:59:59.999Z'), null];
    for (let n = 0; n < 200; n++) {
      const names = Array.from({ length: 1 + Math.floor(random() * 6) }, (_, i) => `view_${i}:${pick(strings)}`);
      const shared = pick(times);
      const sample: GetOnlineFeaturesResult = {
        feature_names: names,
        results: Array.from({ length: 1 + Math.floor(random() * 3) }, (_, r) => ({
          entityRow: { customer_id: String(r + 1), ...(random() < 0.5 ? { merchant_id: pick(['10', undefined]) } : {}) },
          values: names.map(() => ({
            value: pick([() => pick(strings), () => pick(numbers), () => random() < 0.5, () => money(Math.floor(random() * 1e6), pick(['EUR', 'USD']))])(),
            status: pick(['PRESENT', 'DEFAULT', 'STALE', 'MISSING'] as const),
            eventTime: random() < 0.7 ? shared : pick(times),
          })),
        })),
      };
      expect(writeFeaturesResponse(sample)).toBe(JSON.stringify(toFeaturesResponse(sample)));
    }
  });
});
