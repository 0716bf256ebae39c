import { featureValuesEqual } from './feature-values-equal';

describe('featureValuesEqual', () => {
  it('equates null only with null (a stored default is not "no value")', () => {
    expect(featureValuesEqual('INT64', null, null)).toBe(true);
    expect(featureValuesEqual('INT64', null, undefined)).toBe(true);
    expect(featureValuesEqual('INT64', null, 0)).toBe(false);
    expect(featureValuesEqual('DOUBLE', 1, null)).toBe(false);
    expect(featureValuesEqual('MONEY', null, { amountMinor: 0, currency: 'XXX' })).toBe(false);
    expect(featureValuesEqual('STRING', '', null)).toBe(false);
  });

  it('compares MONEY by currency and integer amount, whether number or bigint', () => {
    expect(featureValuesEqual('MONEY', { amountMinor: 1250, currency: 'EUR' }, { amountMinor: 1250, currency: 'EUR' })).toBe(true);
    expect(featureValuesEqual('MONEY', { amountMinor: 1250, currency: 'EUR' }, { amountMinor: 1250n, currency: 'EUR' })).toBe(true);
    expect(featureValuesEqual('MONEY', { amountMinor: 9007199254740993n, currency: 'EUR' }, { amountMinor: 9007199254740992, currency: 'EUR' })).toBe(false);
    expect(featureValuesEqual('MONEY', { amountMinor: 1250, currency: 'EUR' }, { amountMinor: 1250, currency: 'GBP' })).toBe(false);
    expect(featureValuesEqual('MONEY', { amountMinor: 1250, currency: 'EUR' }, { amountMinor: 1251, currency: 'EUR' })).toBe(false);
    expect(featureValuesEqual('MONEY', { amountMinor: 1250, currency: 'EUR' }, { amountMinor: '1250', currency: 'EUR' })).toBe(false);
    expect(featureValuesEqual('MONEY', { amountMinor: 12.5, currency: 'EUR' }, { amountMinor: 12.5, currency: 'EUR' })).toBe(false);
    expect(featureValuesEqual('MONEY', { amountMinor: 0, currency: 'EUR' }, 0)).toBe(false);
  });

  it('compares INT64 as integers and DOUBLE exactly', () => {
    expect(featureValuesEqual('INT64', 3, 3n)).toBe(true);
    expect(featureValuesEqual('INT64', 3, 4)).toBe(false);
    expect(featureValuesEqual('INT64', 3, '3')).toBe(false);
    expect(featureValuesEqual('DOUBLE', 0.1 + 0.2, 0.1 + 0.2)).toBe(true);
    expect(featureValuesEqual('DOUBLE', 0.1 + 0.2, 0.3)).toBe(false);
    expect(featureValuesEqual('DOUBLE', 0, -0)).toBe(true);
  });

  it('compares STRING and BOOL strictly', () => {
    expect(featureValuesEqual('STRING', 'DE', 'DE')).toBe(true);
    expect(featureValuesEqual('STRING', 'DE', 'de')).toBe(false);
    expect(featureValuesEqual('BOOL', true, true)).toBe(true);
    expect(featureValuesEqual('BOOL', true, 1)).toBe(false);
  });
});
