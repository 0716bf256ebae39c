import { bnplCatalog, evaluateViewTiles, money, summariseViewTiles, type FeatureValue } from '@bnpl/feature-definitions';
import type { StoredView } from '@bnpl/online-store';
import type { EntityRow } from './get-online-features.command';
import { assembleResults, requestResult, storedResult, type PairValue } from './assemble-results';
import { resolveSelection, type ReadPlan, type StoredFeatureRead, type ValueSlot } from './read-plan';

const NOW = new Date('2025-03-15T12:00:00.000Z');
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const exposure = bnplCatalog.getView('customer_exposure'); // TTL one hour
const creditLimit: StoredFeatureRead = { view: exposure, feature: 'credit_limit', default: money(0, 'XXX') };
const clock = (now = NOW, streamWatermarkMs = 0) => ({ now, streamWatermarkMs });
const row = (values: Record<string, FeatureValue | null>, eventTime: Date, tiles?: StoredView['tiles']): StoredView => ({ values, eventTime, tiles });

/** A customer_exposure row with tiles, as the streaming path stores it, last changed at `changed`. */
function streamedExposure(changed: Date): StoredView {
  const customer = { id: '1', country: 'GB', currency: 'EUR', kyc_level: 1, credit_limit_minor: 90_000, status: 'active', created_at: changed, updated_at: changed };
  const tiles = summariseViewTiles(exposure, customer, {}, changed);
  if (!tiles) throw new Error('no tiles');
  return { values: evaluateViewTiles(exposure, tiles, tiles.asOfDay), eventTime: changed, tiles };
}

describe('storedResult', () => {
  it('is MISSING with the default and no event time when the entity does not exist', () => {
    expect(storedResult(creditLimit, null, clock())).toEqual({ value: money(0, 'XXX'), status: 'MISSING', eventTime: null });
  });

  it('is PRESENT up to the TTL edge and STALE one millisecond past it, still with the value', () => {
    const eventTime = new Date(NOW.getTime() - HOUR_MS);
    const pair = row({ credit_limit: money(90_000, 'EUR') }, eventTime);
    expect(storedResult(creditLimit, pair, clock())).toEqual({ value: money(90_000, 'EUR'), status: 'PRESENT', eventTime });
    expect(storedResult(creditLimit, pair, clock(new Date(NOW.getTime() + 1)))).toEqual({ value: money(90_000, 'EUR'), status: 'STALE', eventTime });
  });

  it('is DEFAULT where the row holds no value, but STALE (with the default) when the row is old', () => {
    const fresh = row({ credit_limit: null }, NOW);
    expect(storedResult(creditLimit, fresh, clock())).toEqual({ value: money(0, 'XXX'), status: 'DEFAULT', eventTime: NOW });
    const old = row({}, new Date(NOW.getTime() - 2 * HOUR_MS));
    expect(storedResult(creditLimit, old, clock())).toEqual({ value: money(0, 'XXX'), status: 'STALE', eventTime: old.eventTime });
  });

  it('judges a row with tiles against the later of its event time and the stream watermark; a row without tiles against its event time', () => {
    const changed = new Date(NOW.getTime() - 3 * HOUR_MS);
    const streamed = streamedExposure(changed);
    const written = row({ credit_limit: money(90_000, 'EUR') }, changed);
    const watermark = NOW.getTime() - 60_000;

    expect(storedResult(creditLimit, streamed, clock(NOW, 0)).status).toBe('STALE');
    expect(storedResult(creditLimit, streamed, clock(NOW, watermark))).toEqual({ value: money(90_000, 'EUR'), status: 'PRESENT', eventTime: changed });
    expect(storedResult(creditLimit, written, clock(NOW, watermark)).status).toBe('STALE');
    // The stream stopped an hour and a bit ago: its rows go STALE too.
    expect(storedResult(creditLimit, streamed, clock(NOW, NOW.getTime() - HOUR_MS - 1)).status).toBe('STALE');
  });

  it('gives a row with tiles its values as of today: windows and ages move with the clock', () => {
    const spending = bnplCatalog.getView('customer_spending');
    const written = new Date(NOW.getTime() - HOUR_MS);
    const customer = { id: '1', country: 'GB', currency: 'EUR', kyc_level: 1, credit_limit_minor: 1, status: 'active', created_at: new Date(NOW.getTime() - 10 * DAY_MS), updated_at: NOW };
    const order = (id: string, daysAgo: number) => ({
      id, customer_id: '1', merchant_id: id, amount_minor: 100, currency: 'EUR', installment_count: 4, status: 'active', created_at: new Date(NOW.getTime() - daysAgo * DAY_MS), updated_at: NOW,
    });
    const tiles = summariseViewTiles(spending, customer, { orders: [order('1', 29), order('2', 3)] }, written);
    if (!tiles) throw new Error('no tiles');
    const pair = row(evaluateViewTiles(spending, tiles, tiles.asOfDay), written, tiles);
    const orders30d: StoredFeatureRead = { view: spending, feature: 'orders_30d', default: 0 };
    // A watermark keeps the row current on later days, so only the values move.
    const on = (days: number) => storedResult(orders30d, pair, clock(new Date(NOW.getTime() + days * DAY_MS), NOW.getTime() + days * DAY_MS));

    expect(on(0).value).toBe(2);
    expect(on(1).value).toBe(1);
    expect(on(27)).toEqual({ value: 0, status: 'PRESENT', eventTime: written });
  });
});

describe('requestResult', () => {
  const selection = resolveSelection(bnplCatalog, { features: ['credit_request:*'] });
  const [ratio, after] = selection.slots as Array<Extract<ValueSlot, { kind: 'request' }>>;
  const inputs = { requested_amount: money(12_000, 'EUR') };

  it('computes from the inputs and the stored features as served, PRESENT at the request instant', () => {
    const served = (read: StoredFeatureRead): FeatureValue => (read.feature === 'outstanding_balance' ? money(5_000, 'EUR') : money(4_000, 'EUR'));
    expect(requestResult(after, inputs, served, NOW)).toEqual({ value: money(17_000, 'EUR'), status: 'PRESENT', eventTime: NOW });
    expect(requestResult(ratio, inputs, served, NOW)).toEqual({ value: 3, status: 'PRESENT', eventTime: NOW });
  });

  it('is DEFAULT when the definition yields no value', () => {
    const served = (read: StoredFeatureRead) => read.default; // no orders: no average
    expect(requestResult(ratio, inputs, served, NOW)).toEqual({ value: 0, status: 'DEFAULT', eventTime: NOW });
  });
});

describe('assembleResults', () => {
  const plan = (features: string[], rows: EntityRow[]): ReadPlan => ({ selection: resolveSelection(bnplCatalog, { features }), rows });
  const pairs = (entries: Record<string, Record<string, PairValue>>) => new Map(Object.entries(entries).map(([view, byId]) => [view, new Map(Object.entries(byId))]));

  it('gives one result per row in row order, one value per feature in feature order, each from its own entity\'s pair', () => {
    const p = plan(['merchant_risk:merchant_orders_90d', 'customer_profile:kyc_level'], [
      { customer_id: '7', merchant_id: '8' },
      { customer_id: '8', merchant_id: '7' },
    ]);
    const read = pairs({
      customer_profile: { '7': row({ kyc_level: 1 }, NOW), '8': row({ kyc_level: 2 }, NOW) },
      merchant_risk: { '8': row({ merchant_orders_90d: 80 }, NOW), '7': null },
    });

    const result = assembleResults(p, read, {}, clock());

    expect(result.feature_names).toEqual(['merchant_risk:merchant_orders_90d', 'customer_profile:kyc_level']);
    expect(result.feature_names).not.toBe(p.selection.featureNames);
    expect(result.results.map((r) => [r.entityRow, r.values.map((v) => [v.value, v.status])])).toEqual([
      [{ customer_id: '7', merchant_id: '8' }, [[80, 'PRESENT'], [1, 'PRESENT']]],
      [{ customer_id: '8', merchant_id: '7' }, [[0, 'MISSING'], [2, 'PRESENT']]],
    ]);
  });

  it('computes request-time features from the stored values as served: defaults where MISSING, STALE values as they are', () => {
    const p = plan(['credit_request:exposure_after_order'], [{ customer_id: '1' }, { customer_id: '2' }]);
    const old = new Date(NOW.getTime() - 2 * HOUR_MS);
    const read = pairs({ customer_exposure: { '1': row({ outstanding_balance: money(5_000, 'EUR') }, old), '2': null } });

    const result = assembleResults(p, read, { requested_amount: money(12_000, 'EUR') }, clock());

    expect(result.results.map((r) => r.values)).toEqual([
      [{ value: money(17_000, 'EUR'), status: 'PRESENT', eventTime: NOW }],
      [{ value: money(12_000, 'EUR'), status: 'PRESENT', eventTime: NOW }],
    ]);
  });
});
