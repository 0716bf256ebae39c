import { pack, unpack } from 'msgpackr';
import { UnknownFeatureViewError, summariseViewTiles, viewTilesFingerprint, type ViewTiles } from '@bnpl/feature-definitions';
import { CorruptStoredValueError } from './errors/corrupt-stored-value.error';
import { InvalidOnlineRowError } from './errors/invalid-online-row.error';
import { testCatalog } from './online-store.test-catalog';
import { StoredViewCodec } from './stored-view.codec';

const codec = new StoredViewCodec(testCatalog);
const customer = { entity: 'customer', id: '42' };
const eventTime = new Date('2025-03-15T10:20:30.456Z');

describe('StoredViewCodec', () => {
  it('encodes values in catalog feature order, without names, money as amount then currency, event time first', () => {
    const bytes = codec.encode('customer_exposure', customer, {
      utilization: 0.25,
      credit_limit: { amountMinor: 400_000, currency: 'EUR' },
      active_plans_count: 2,
      outstanding_balance: { amountMinor: 100_000, currency: 'EUR' },
      overdue_balance: null,
    }, eventTime);
    expect(unpack(bytes)).toEqual([eventTime.getTime(), 2, 100_000, 'EUR', null, 400_000, 'EUR', 0.25]);
    expect(bytes.toString('latin1')).not.toContain('utilization');
  });

  it('drops trailing nulls', () => {
    expect(unpack(codec.encode('customer_profile', customer, { account_age_days: 3, kyc_level: null }, eventTime))).toEqual([eventTime.getTime(), 3]);
    expect(unpack(codec.encode('customer_profile', customer, {}, eventTime))).toEqual([eventTime.getTime()]);
  });

  it('round-trips every value type', () => {
    const values = { is_vip: true, kyc: Number.MIN_SAFE_INTEGER, label: 'Ωmega ✓ 😀', limit: { amountMinor: -12, currency: 'CHF' }, ratio: -0.000123 };
    const decoded = codec.decode('customer_flags', codec.encode('customer_flags', customer, values, eventTime));
    expect(decoded).toEqual({ values, eventTime });
    const nulls = { is_vip: null, kyc: null, label: null, limit: null, ratio: null };
    expect(codec.decode('customer_flags', codec.encode('customer_flags', customer, nulls, eventTime)).values).toEqual(nulls);
  });

  it('decodes a value written before features were appended to the view: the new ones are null', () => {
    const written = pack([eventTime.getTime(), 1, 2]);
    expect(codec.decode('customer_profile', written)).toEqual({ values: { account_age_days: 1, kyc_level: 2, country: null, account_status: null }, eventTime });
  });

  it('rejects unknown and request-time views by name', () => {
    expect(() => codec.encode('nope', customer, {}, eventTime)).toThrow(UnknownFeatureViewError);
    expect(() => codec.encode('nope', customer, {}, eventTime)).toThrow(/"nope"/);
    expect(() => codec.view('credit_request')).toThrow(/credit_request/);
  });

  it.each([
    [{ kyc_level: '1' }, /kyc_level is INT64/],
    [{ kyc_level: 2 ** 53 }, /kyc_level/],
    [{ kyc_level: 1n }, /kyc_level/],
    [{ country: 7 }, /country is STRING/],
    [{ unknown_feature: 1 }, /unknown feature unknown_feature/],
  ])('rejects a bad row %p', (values, message) => {
    expect(() => codec.encode('customer_profile', customer, values as never, eventTime)).toThrow(InvalidOnlineRowError);
    expect(() => codec.encode('customer_profile', customer, values as never, eventTime)).toThrow(message);
  });

  it('rejects bad money, doubles, event times and entities', () => {
    const enc = (values: object, time = eventTime, key = customer) => () => codec.encode('customer_flags', key, values as never, time);
    expect(enc({ limit: { amountMinor: 1.5, currency: 'EUR' } })).toThrow(/limit is MONEY/);
    expect(enc({ limit: { amountMinor: 1, currency: 'euro' } })).toThrow(/limit is MONEY/);
    expect(enc({ ratio: Number.NaN })).toThrow(/ratio is DOUBLE/);
    expect(enc({ ratio: Infinity })).toThrow(/ratio is DOUBLE/);
    expect(enc({}, new Date(Number.NaN))).toThrow(/event time/);
    expect(enc({}, new Date(-1))).toThrow(/event time/);
    expect(enc({}, eventTime, { entity: 'merchant', id: '1' })).toThrow(/entity customer, the key of merchant/);
  });

  it('rejects stored values that do not fit the view', () => {
    expect(() => codec.decode('customer_profile', Buffer.from([0xc1]))).toThrow(CorruptStoredValueError);
    const wrongType = codec.encode('customer_flags', customer, { is_vip: true }, eventTime); // BOOL where profile has INT64
    expect(() => codec.decode('customer_profile', wrongType)).toThrow(/account_age_days is INT64/);
    expect(() => codec.decode('customer_profile', Buffer.from([0x90]))).toThrow(/event time/);
  });

  describe('with per-day tiles', () => {
    const view = testCatalog.getView('customer_spending');
    const row = { id: '42', currency: 'EUR', country: 'DE', kyc_level: 1, credit_limit_minor: 1, status: 'active', created_at: eventTime, updated_at: eventTime };
    const orders = [{ id: '1', customer_id: '42', merchant_id: '9', amount_minor: 700, currency: 'EUR', installment_count: 4, status: 'active', created_at: eventTime, updated_at: eventTime }];
    const tiles = summariseViewTiles(view, row, { orders }, eventTime) as ViewTiles;
    const values = { orders_30d: 1, order_amount_sum_30d: { amountMinor: 700, currency: 'EUR' } };

    it('nests the slots after the event time and adds the view fingerprint and the tiles; round-trips', () => {
      const bytes = codec.encode('customer_spending', customer, values, eventTime, tiles);
      expect(unpack(bytes)).toEqual([eventTime.getTime(), [1, 700, 'EUR'], [viewTilesFingerprint(view), tiles]]);
      expect(codec.decode('customer_spending', bytes)).toEqual({ values: { ...values, avg_order_amount_90d: null, distinct_merchants_30d: null }, eventTime, tiles });
    });

    it('drops tiles written under another definition of the view, and keeps the values', () => {
      const other = pack([eventTime.getTime(), [1, 700, 'EUR'], ['00000000', tiles]]);
      const decoded = codec.decode('customer_spending', other);
      expect(decoded.tiles).toBeUndefined();
      expect(decoded.values['orders_30d']).toBe(1);
    });

    it('rejects malformed tiles, on write and on read', () => {
      expect(() => codec.encode('customer_spending', customer, values, eventTime, { ...tiles, asOfDay: 1.5 })).toThrow(InvalidOnlineRowError);
      expect(() => codec.decode('customer_spending', pack([eventTime.getTime(), [1], ['x', { asOfDay: 'x' }]]))).toThrow(CorruptStoredValueError);
      expect(() => codec.decode('customer_spending', pack([eventTime.getTime(), [1]]))).toThrow(/malformed tiles/);
    });
  });
});
