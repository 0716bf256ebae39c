import { FeatureStoreError } from '@bnpl/feature-definitions';
import { fromRequestValue, toFeatureValue, toValueType } from './feature-value.mapper';

describe('toFeatureValue', () => {
  it.each([
    ['INT64', 5, { int64_value: 5 }],
    ['DOUBLE', 0.25, { double_value: 0.25 }],
    ['DOUBLE', 1, { double_value: 1 }],
    ['STRING', 'DE', { string_value: 'DE' }],
    ['BOOL', false, { bool_value: false }],
    ['MONEY', { amountMinor: 12000, currency: 'EUR' }, { money_value: { amount_minor: 12000, currency: 'EUR' } }],
  ] as const)('sets the %s member of the oneof', (type, value, expected) => {
    expect(toFeatureValue(type, value)).toEqual(expected);
  });

  it('refuses a value of another type than its feature (a server bug, not bad input)', () => {
    expect(() => toFeatureValue('INT64', 'five')).toThrow(TypeError);
    expect(() => toFeatureValue('MONEY', 5)).toThrow(TypeError);
  });
});

describe('fromRequestValue', () => {
  it('maps money_value to the domain Money, int64 strings to exact numbers', () => {
    expect(fromRequestValue('requested_amount', { money_value: { amount_minor: '12000', currency: 'EUR' }, kind: 'money_value' })).toEqual({ amountMinor: 12000, currency: 'EUR' });
    expect(fromRequestValue('n', { int64_value: '-9007199254740991', kind: 'int64_value' })).toBe(-9007199254740991);
    expect(fromRequestValue('d', { double_value: 0.5, kind: 'double_value' })).toBe(0.5);
    expect(fromRequestValue('s', { string_value: 'x', kind: 'string_value' })).toBe('x');
    expect(fromRequestValue('b', { bool_value: true, kind: 'bool_value' })).toBe(true);
  });

  it.each([
    ['an int64 beyond 2^53 - 1', { int64_value: '9007199254740992', kind: 'int64_value' as const }, /"n".*9007199254740992.*exact integer range/],
    ['a money amount beyond 2^53 - 1', { money_value: { amount_minor: '-9223372036854775808', currency: 'EUR' }, kind: 'money_value' as const }, /"n".*-9223372036854775808/],
    ['no value at all', {}, /"n".*no value/],
  ])('rejects %s with INVALID_REQUEST_INPUT naming the input', (_what, value, message) => {
    let thrown: unknown;
    try {
      fromRequestValue('n', value);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(FeatureStoreError);
    expect(thrown).toMatchObject({ reason: 'INVALID_REQUEST_INPUT', message: expect.stringMatching(message) });
  });
});

describe('toValueType', () => {
  it('names the ValueType enum member', () => {
    expect(toValueType('MONEY')).toBe('VALUE_TYPE_MONEY');
  });
});
