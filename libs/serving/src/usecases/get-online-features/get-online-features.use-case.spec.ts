import {
  FeatureStoreError,
  ValueType,
  bnplCatalog,
  evaluateViewTiles,
  money,
  summariseViewTiles,
  type FeatureRow,
  type FeatureValue,
} from '@bnpl/feature-definitions';
import { InMemoryOnlineStore, L1CachedOnlineStore, ObservedOnlineStore, OnlineStoreUnavailableError, type OnlineRow, type StoredView } from '@bnpl/online-store';
import { FeaturesUnavailableError } from '../../errors/features-unavailable.error';
import { FakeSourceFeatureReader } from '../../testing/fake-source-feature-reader';
import type { EntityRow, GetOnlineFeaturesCommand } from './get-online-features.command';
import { GetOnlineFeatures, type GetOnlineFeaturesOptions, type ServingLogger } from './get-online-features.use-case';

const NOW = new Date('2025-03-15T12:00:00.000Z');
const HOUR_MS = 3_600_000;
const CUSTOMER_VIEWS = ['customer_profile', 'customer_exposure', 'customer_repayment', 'customer_spending'];

/** A row of `view` with a non-null value for every feature (`overrides` win). */
function sampleRow(view: string, overrides: Record<string, FeatureValue | null> = {}): FeatureRow {
  const row: Record<string, FeatureValue | null> = {};
  for (const f of bnplCatalog.getView(view).features) {
    const samples: Record<ValueType, FeatureValue> = {
      [ValueType.INT64]: 7,
      [ValueType.DOUBLE]: 0.25,
      [ValueType.STRING]: 's',
      [ValueType.BOOL]: true,
      [ValueType.MONEY]: money(5_000, 'EUR'),
    };
    row[f.name] = samples[f.valueType];
  }
  return { ...row, ...overrides };
}

/** Stores `stored` as (entity, id, view)'s row, whatever was there, without it showing in the store's call log. */
async function put(store: ObservedOnlineStore, entity: string, id: string, view: string, stored: StoredView): Promise<void> {
  await store.inner.write([rowOf(entity, id, view, stored)], { mode: 'overwrite' });
}

const rowOf = (entity: string, id: string, view: string, stored: StoredView): OnlineRow => ({ key: { entity, id }, view, ...stored });

const defaultOf = (ref: string) => bnplCatalog.getFeature(ref).feature.default;

let namespaces = 0;
const freshBackend = () => new InMemoryOnlineStore({ catalog: bnplCatalog, namespace: `get-online-features-spec-${++namespaces}` });

/** `cached`: the store is an L1 cache over the in-memory adapter (what `invalidate` drops), as the apps wire it. */
function setup(options: GetOnlineFeaturesOptions = {}, { cached = false } = {}) {
  const backend = freshBackend();
  const store = new ObservedOnlineStore({ inner: cached ? new L1CachedOnlineStore(backend, { maxEntries: 1_000, ttlMs: 60_000 }) : backend });
  const source = new FakeSourceFeatureReader();
  const logger = { log: jest.fn(), warn: jest.fn() } satisfies ServingLogger;
  let now = NOW;
  const useCase = new GetOnlineFeatures(bnplCatalog, store, source, { clock: () => now, logger, ...options });
  created.push(useCase);
  return { store, source, logger, useCase, setNow: (d: Date) => (now = d) };
}

const created: GetOnlineFeatures[] = [];
afterEach(async () => {
  await Promise.all(created.splice(0).map((u) => u.close()));
});

const creditDecision = (rows: EntityRow[] = [{ customer_id: '1', merchant_id: '45' }]): GetOnlineFeaturesCommand => ({
  featureService: 'credit_decision_v1',
  entityRows: rows,
  requestContext: { requested_amount: money(12_000, 'EUR') },
});

/** Resolves `fn()`'s rejection, failing the test if it resolves. */
async function rejection(fn: () => Promise<unknown>): Promise<FeatureStoreError> {
  try {
    await fn();
  } catch (error) {
    return error as FeatureStoreError;
  }
  throw new Error('expected a rejection');
}

describe('GetOnlineFeatures', () => {
  describe('statuses', () => {
    it('serves a whole feature service from one online store read: PRESENT values, request-time features computed', async () => {
      const { store, source, useCase } = setup();
      for (const v of CUSTOMER_VIEWS) await put(store, 'customer', '1', v, { values: sampleRow(v), eventTime: new Date(NOW.getTime() - 60_000) });
      await put(store, 'merchant', '45', 'merchant_risk', { values: sampleRow('merchant_risk'), eventTime: new Date(NOW.getTime() - 60_000) });

      const result = await useCase.execute(creditDecision());

      expect(result.feature_names).toEqual(bnplCatalog.resolveService('credit_decision_v1').features.map((f) => f.ref));
      expect(result.feature_names.at(-2)).toBe('credit_request:requested_amount_to_avg_order_ratio');
      expect(store.reads).toHaveLength(1);
      expect(store.reads[0].keys).toEqual([
        { entity: 'customer', id: '1' },
        { entity: 'merchant', id: '45' },
      ]);
      expect(store.reads[0].views).toEqual([...CUSTOMER_VIEWS, 'merchant_risk']);
      expect(source.calls).toHaveLength(0);
      const values = result.results[0].values;
      expect(values.every((v) => v.status === 'PRESENT')).toBe(true);
      const byName = Object.fromEntries(result.feature_names.map((n, i) => [n, values[i]]));
      expect(byName['customer_exposure:outstanding_balance']).toEqual({ value: money(5_000, 'EUR'), status: 'PRESENT', eventTime: new Date(NOW.getTime() - 60_000) });
      // 12 000 / 5 000 (avg_order_amount_90d) and 5 000 (outstanding) + 12 000
      expect(byName['credit_request:requested_amount_to_avg_order_ratio']).toEqual({ value: 2.4, status: 'PRESENT', eventTime: NOW });
      expect(byName['credit_request:exposure_after_order']).toEqual({ value: money(17_000, 'EUR'), status: 'PRESENT', eventTime: NOW });
      expect(useCase.stats()).toMatchObject({ requests: 1, onlineHits: 5, onlineMisses: 0, sourceReads: 0 });
    });

    it('is PRESENT exactly at the TTL edge and STALE one millisecond past it, still returning the value', async () => {
      const { store, useCase, setNow } = setup();
      const eventTime = new Date(NOW.getTime() - HOUR_MS); // customer_exposure's TTL is one hour
      await put(store, 'customer', '1', 'customer_exposure', { values: sampleRow('customer_exposure', { credit_limit: money(90_000, 'EUR') }), eventTime });
      const cmd = { features: ['customer_exposure:credit_limit'], entityRows: [{ customer_id: '1' }] };

      expect((await useCase.execute(cmd)).results[0].values[0]).toEqual({ value: money(90_000, 'EUR'), status: 'PRESENT', eventTime });
      setNow(new Date(NOW.getTime() + 1));
      expect((await useCase.execute(cmd)).results[0].values[0]).toEqual({ value: money(90_000, 'EUR'), status: 'STALE', eventTime });
    });

    it('sums a streamed row\'s per-day tiles as of today: windows move (and ages grow) with the clock, without a write', async () => {
      const { store, useCase, setNow } = setup();
      const DAY_MS = 86_400_000;
      const written = new Date(NOW.getTime() - HOUR_MS);
      const customer = { id: '1', country: 'GB', currency: 'EUR', kyc_level: 1, credit_limit_minor: 1, status: 'active', created_at: new Date(NOW.getTime() - 10 * DAY_MS), updated_at: NOW };
      const order = (id: string, daysAgo: number, amount: number) => ({
        id, customer_id: '1', merchant_id: id, amount_minor: amount, currency: 'EUR', installment_count: 4, status: 'active',
        created_at: new Date(NOW.getTime() - daysAgo * DAY_MS), updated_at: NOW,
      });
      const spending = bnplCatalog.getView('customer_spending');
      const tiles = summariseViewTiles(spending, customer, { orders: [order('1', 29, 100), order('2', 3, 250)] }, written);
      if (!tiles) throw new Error('no tiles');
      await put(store, 'customer', '1', 'customer_spending', { values: evaluateViewTiles(spending, tiles, tiles.asOfDay), eventTime: written, tiles });
      const profile = bnplCatalog.getView('customer_profile');
      const profileTiles = summariseViewTiles(profile, customer, {}, written);
      if (!profileTiles) throw new Error('no tiles');
      await put(store, 'customer', '1', 'customer_profile', { values: evaluateViewTiles(profile, profileTiles, profileTiles.asOfDay), eventTime: written, tiles: profileTiles });
      const cmd = { features: ['customer_spending:orders_30d', 'customer_spending:order_amount_sum_30d', 'customer_profile:account_age_days'], entityRows: [{ customer_id: '1' }] };
      const values = async () => (await useCase.execute(cmd)).results[0].values.map((v) => v.value);

      expect(await values()).toEqual([2, money(350, 'EUR'), 10]);
      setNow(new Date(NOW.getTime() + DAY_MS));
      expect(await values()).toEqual([1, money(250, 'EUR'), 11]);
      setNow(new Date(NOW.getTime() + 27 * DAY_MS));
      expect(await values()).toEqual([0, money(0, 'EUR'), 37]);
      expect(store.reads.length).toBe(3);
    });

    it('judges the TTL of a streamed row (one with tiles) against the stream watermark too, of other rows against their event time', async () => {
      const { store, useCase } = setup({ streamWatermarkRefreshMs: 0 });
      const changed = new Date(NOW.getTime() - 3 * HOUR_MS); // customer_exposure's TTL is one hour
      const exposure = bnplCatalog.getView('customer_exposure');
      const customer = { id: '1', country: 'GB', currency: 'EUR', kyc_level: 1, credit_limit_minor: 90_000, status: 'active', created_at: changed, updated_at: changed };
      const tiles = summariseViewTiles(exposure, customer, {}, changed);
      if (!tiles) throw new Error('no tiles');
      const rows = [
        rowOf('customer', '1', 'customer_exposure', { values: evaluateViewTiles(exposure, tiles, tiles.asOfDay), eventTime: changed, tiles }),
        rowOf('customer', '2', 'customer_exposure', { values: sampleRow('customer_exposure'), eventTime: changed }),
      ];
      await store.inner.write(rows);
      const cmd = { features: ['customer_exposure:credit_limit'], entityRows: [{ customer_id: '1' }, { customer_id: '2' }] };
      const statuses = async () => (await useCase.execute(cmd)).results.map((r) => [r.values[0].status, r.values[0].eventTime]);

      // No watermark yet: both by event time.
      expect(await statuses()).toEqual([['STALE', changed], ['STALE', changed]]);
      // The stream applied everything up to a minute ago: the streamed row is current, the other is not.
      await store.inner.writeStreamWatermark?.(new Date(NOW.getTime() - 60_000));
      await useCase.refreshStreamWatermark();
      expect(await statuses()).toEqual([['PRESENT', changed], ['STALE', changed]]);
      // An older watermark read later (a failover to a lagging replica, a restored backup) never moves it back.
      const replica = freshBackend();
      await replica.write(rows);
      await replica.writeStreamWatermark(new Date(NOW.getTime() - 2 * HOUR_MS));
      store.failOver(replica);
      await useCase.refreshStreamWatermark();
      expect(await statuses()).toEqual([['PRESENT', changed], ['STALE', changed]]);
      // The store down: the watermark stays; the stream stopping makes streamed rows go STALE as it ages.
      store.down = true;
      await useCase.refreshStreamWatermark();
      store.down = false;
      expect(await statuses()).toEqual([['PRESENT', changed], ['STALE', changed]]);
    });

    it('returns the default with DEFAULT when the entity exists but the value is null', async () => {
      const { store, useCase } = setup();
      const eventTime = new Date(NOW.getTime() - 1_000);
      await put(store, 'customer', '1', 'customer_repayment', { values: sampleRow('customer_repayment', { on_time_rate_365d: null }), eventTime });

      const result = await useCase.execute({ features: ['customer_repayment:on_time_rate_365d', 'customer_repayment:late_installments_90d'], entityRows: [{ customer_id: '1' }] });

      expect(result.results[0].values).toEqual([
        { value: defaultOf('customer_repayment:on_time_rate_365d'), status: 'DEFAULT', eventTime },
        { value: 7, status: 'PRESENT', eventTime },
      ]);
    });

    it('returns defaults with MISSING for an entity that exists nowhere, and refills nothing for it', async () => {
      const { store, source, useCase } = setup();

      const result = await useCase.execute({ features: ['customer_profile:country', 'customer_profile:kyc_level'], entityRows: [{ customer_id: '404' }] });
      await useCase.drain();

      expect(result.results[0].values).toEqual([
        { value: defaultOf('customer_profile:country'), status: 'MISSING', eventTime: null },
        { value: defaultOf('customer_profile:kyc_level'), status: 'MISSING', eventTime: null },
      ]);
      expect(source.calls).toEqual([{ view: 'customer_profile', ids: ['404'], asOf: NOW }]);
      expect(store.writes).toHaveLength(0);
    });

    it('remembers an unknown entity for the negative cache TTL, and forgets it on invalidate', async () => {
      const { store, source, useCase } = setup({ negativeCacheTtlMs: 1_000 }, { cached: true });
      const unknown = { features: ['customer_profile:country'], entityRows: [{ customer_id: '404' }] };

      await useCase.execute(unknown);
      await useCase.execute(unknown);
      expect(source.calls).toHaveLength(1);
      expect(useCase.stats()).toMatchObject({ negativeCacheHits: 1, sourceReads: 1 });

      // The customer is created; a feature-update event invalidates it and the next read sees it.
      source.put('customer_profile', '404', sampleRow('customer_profile'));
      useCase.invalidate([{ entity: 'customer', id: '404' }]);
      expect(store.invalidations).toEqual([[{ entity: 'customer', id: '404' }]]);
      const found = await useCase.execute(unknown);
      expect(found.results[0].values[0].status).toBe('PRESENT');
      expect(source.calls).toHaveLength(2);
    });

    it('asks the source again once the negative cache entry has expired', async () => {
      const { source, useCase } = setup({ negativeCacheTtlMs: 20 });
      const unknown = { features: ['customer_profile:country'], entityRows: [{ customer_id: '404' }] };
      await useCase.execute(unknown);
      await new Promise((r) => setTimeout(r, 40));
      await useCase.execute(unknown);
      expect(source.calls).toHaveLength(2);
    });

    it('computes request-time features from defaults when the stored features are missing', async () => {
      const { useCase } = setup();
      const result = await useCase.execute({
        features: ['credit_request:*'],
        entityRows: [{ customer_id: '9' }],
        requestContext: { requested_amount: money(12_000, 'EUR') },
      });
      expect(result.feature_names).toEqual(['credit_request:requested_amount_to_avg_order_ratio', 'credit_request:exposure_after_order']);
      expect(result.results[0].values).toEqual([
        { value: 0, status: 'DEFAULT', eventTime: NOW }, // no average order amount: no ratio
        { value: money(12_000, 'EUR'), status: 'PRESENT', eventTime: NOW }, // nothing outstanding (default XXX 0) + requested
      ]);
    });
  });

  it('keeps the order of rows and of features', async () => {
    const { store, useCase } = setup();
    for (const id of ['1', '2', '3']) {
      const eventTime = new Date(NOW.getTime() - 1_000);
      await put(store, 'customer', id, 'customer_exposure', { values: sampleRow('customer_exposure', { credit_limit: money(Number(id) * 100, 'EUR') }), eventTime });
      await put(store, 'customer', id, 'customer_profile', { values: sampleRow('customer_profile', { country: `C${id}` }), eventTime });
    }

    const result = await useCase.execute({ features: ['customer_profile:country', 'customer_exposure:credit_limit'], entityRows: [{ customer_id: '3' }, { customer_id: '1' }, { customer_id: '2' }] });

    expect(result.feature_names).toEqual(['customer_profile:country', 'customer_exposure:credit_limit']);
    expect(result.results.map((r) => [r.entityRow.customer_id, ...r.values.map((v) => v.value)])).toEqual([
      ['3', 'C3', money(300, 'EUR')],
      ['1', 'C1', money(100, 'EUR')],
      ['2', 'C2', money(200, 'EUR')],
    ]);
  });

  describe('misses', () => {
    it('reads the missing pairs from the source, one call per view, then refills the store if-newer', async () => {
      const { store, source, useCase } = setup();
      await put(store, 'customer', '1', 'customer_profile', { values: sampleRow('customer_profile', { country: 'FR' }), eventTime: new Date(NOW.getTime() - 1_000) });
      source.put('customer_profile', '2', sampleRow('customer_profile', { country: 'DE' }));
      source.put('customer_exposure', '1', sampleRow('customer_exposure'));
      source.put('customer_exposure', '2', sampleRow('customer_exposure'));
      const cmd = { features: ['customer_profile:country', 'customer_exposure:active_plans_count'], entityRows: [{ customer_id: '1' }, { customer_id: '2' }] };

      const result = await useCase.execute(cmd);
      await useCase.drain();

      expect(result.results.map((r) => r.values.map((v) => [v.value, v.status, v.eventTime]))).toEqual([
        [['FR', 'PRESENT', new Date(NOW.getTime() - 1_000)], [7, 'PRESENT', NOW]],
        [['DE', 'PRESENT', NOW], [7, 'PRESENT', NOW]],
      ]);
      expect(source.calls).toEqual([
        { view: 'customer_profile', ids: ['2'], asOf: NOW },
        { view: 'customer_exposure', ids: ['1', '2'], asOf: NOW },
      ]);
      expect(store.writes.map((w) => [w.options, w.rows.map((r) => `${r.view}/${r.key.id}@${r.eventTime.toISOString()}`)])).toEqual([
        [{ mode: 'if-newer' }, [`customer_profile/2@${NOW.toISOString()}`]],
        [{ mode: 'if-newer' }, [`customer_exposure/1@${NOW.toISOString()}`, `customer_exposure/2@${NOW.toISOString()}`]],
      ]);
      expect(useCase.stats()).toMatchObject({ onlineHits: 1, onlineMisses: 3, sourceReads: 2, sourceEntities: 3, refilledRows: 3 });

      await useCase.execute(cmd);
      expect(source.calls).toHaveLength(2); // now all from the store
    });

    it('logs a failed refill and still serves the read', async () => {
      const { store, source, logger, useCase } = setup();
      source.put('customer_profile', '1', sampleRow('customer_profile'));
      store.writeError = new OnlineStoreUnavailableError(store.kind, 'READONLY');

      const result = await useCase.execute({ features: ['customer_profile:country'], entityRows: [{ customer_id: '1' }] });
      await useCase.drain();

      expect(result.results[0].values[0]).toMatchObject({ value: 's', status: 'PRESENT' });
      expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('refill of customer_profile failed'), expect.objectContaining({ error: expect.stringContaining('READONLY') }));
      expect(useCase.stats().refillFailures).toBe(1);
    });

    it('shares one source query between concurrent requests missing the same pair', async () => {
      const { source, useCase } = setup();
      source.put('customer_exposure', '1', sampleRow('customer_exposure'));
      source.put('customer_exposure', '2', sampleRow('customer_exposure'));
      let release!: () => void;
      source.gate = new Promise((r) => (release = r));

      const first = useCase.execute({ features: ['customer_exposure:active_plans_count'], entityRows: [{ customer_id: '1' }] });
      const second = useCase.execute({ features: ['customer_exposure:active_plans_count'], entityRows: [{ customer_id: '1' }] });
      const third = useCase.execute({ features: ['customer_exposure:utilization'], entityRows: [{ customer_id: '1' }, { customer_id: '2' }] });
      await new Promise((r) => setImmediate(r));
      release();
      const [a, b, c] = await Promise.all([first, second, third]);
      await useCase.drain();

      expect(source.calls.map((c) => c.ids)).toEqual([['1'], ['2']]); // '1' once, '2' alone
      expect(a).toEqual(b);
      expect(c.results.map((r) => r.values[0].status)).toEqual(['PRESENT', 'PRESENT']);
      expect(useCase.stats()).toMatchObject({ sourceReads: 2, sourceEntities: 2, sourceSharedEntities: 2 });
    });
  });

  describe('failures', () => {
    it('falls back to the source when the store is down, skips it while the breaker is open, and returns to it once it half-opens', async () => {
      const { store, source, useCase, logger } = setup({ onlineStoreBreaker: { resetTimeoutMs: 40 } });
      source.put('customer_profile', '1', sampleRow('customer_profile', { country: 'PL' }));
      const cmd = { features: ['customer_profile:country'], entityRows: [{ customer_id: '1' }] };
      store.down = true;

      expect((await useCase.execute(cmd)).results[0].values[0]).toMatchObject({ value: 'PL', status: 'PRESENT' });
      expect(useCase.stats().onlineStoreBreaker).toBe('open');
      expect((await useCase.execute(cmd)).results[0].values[0]).toMatchObject({ value: 'PL', status: 'PRESENT' });
      await useCase.drain();
      expect(store.reads).toHaveLength(1); // the second read did not try the store
      expect(store.writes).toHaveLength(0); // no refill while the store is down
      expect(source.calls).toHaveLength(2);
      expect(useCase.stats()).toMatchObject({ onlineStoreFailures: 2, onlineHits: 0 });
      // One line for the failed read and one for the breaker opening; none for reads the open breaker skips.
      expect(logger.warn.mock.calls.map(([message]) => message)).toEqual([expect.stringMatching(/opened/), expect.stringMatching(/^Online store read failed/)]);

      store.down = false;
      await put(store, 'customer', '1', 'customer_profile', { values: sampleRow('customer_profile', { country: 'CZ' }), eventTime: NOW });
      await new Promise((r) => setTimeout(r, 60));
      expect(useCase.stats().onlineStoreBreaker).toBe('half-open');
      expect((await useCase.execute(cmd)).results[0].values[0]).toMatchObject({ value: 'CZ', status: 'PRESENT' });
      expect(store.reads).toHaveLength(2);
      expect(source.calls).toHaveLength(2);
      expect(useCase.stats().onlineStoreBreaker).toBe('closed');
    });

    it('falls back to the source when the store read times out', async () => {
      const { store, source, useCase } = setup({ onlineStoreTimeoutMs: 20 });
      store.hold(); // never released: the read never answers
      source.put('customer_profile', '1', sampleRow('customer_profile', { country: 'PL' }));

      const result = await useCase.execute({ features: ['customer_profile:country'], entityRows: [{ customer_id: '1' }] });

      expect(result.results[0].values[0]).toMatchObject({ value: 'PL', status: 'PRESENT' });
    });

    it('throws FEATURES_UNAVAILABLE when the source is down and the store lacks the pair', async () => {
      const { store, source, useCase } = setup();
      source.down = true;
      await put(store, 'customer', '1', 'customer_profile', { values: sampleRow('customer_profile'), eventTime: NOW });

      const error = await rejection(() => useCase.execute({ features: ['customer_profile:country'], entityRows: [{ customer_id: '1' }, { customer_id: '2' }] }));

      expect(error).toBeInstanceOf(FeaturesUnavailableError);
      expect(error.reason).toBe('FEATURES_UNAVAILABLE');
      // The message reaches answers: the driver's error stays in `cause`, for logs.
      expect(error.message).not.toContain('ECONNREFUSED');
      expect(String((error.cause as Error).message)).toContain('ECONNREFUSED');
      // cached reads keep serving while the source is down
      const cached = await useCase.execute({ features: ['customer_profile:country'], entityRows: [{ customer_id: '1' }] });
      expect(cached.results[0].values[0].status).toBe('PRESENT');
    });

    it('throws FEATURES_UNAVAILABLE fast when both the store and the source are down, or the source hangs', async () => {
      const both = setup();
      both.store.down = true;
      both.source.down = true;
      const error = await rejection(() => both.useCase.execute({ features: ['customer_profile:country'], entityRows: [{ customer_id: '1' }] }));
      expect(error.reason).toBe('FEATURES_UNAVAILABLE');
      expect(error.message).toContain('online store is unavailable');
      expect(both.useCase.stats().sourceBreaker).toBe('open');

      const hanging = setup({ sourceTimeoutMs: 20 });
      hanging.source.gate = new Promise(() => undefined);
      // The gate never opens: without the timeout this would hang and fail on the runner's test timeout.
      const timeout = await rejection(() => hanging.useCase.execute({ features: ['customer_profile:country'], entityRows: [{ customer_id: '1' }] }));
      expect(timeout.reason).toBe('FEATURES_UNAVAILABLE');
    });
  });

  describe('validation (before any I/O)', () => {
    const cases: Array<[string, GetOnlineFeaturesCommand, string, string[]]> = [
      ['an unknown service', { featureService: 'credit_decision_v9', entityRows: [{ customer_id: '1' }] }, 'UNKNOWN_FEATURE_SERVICE', ['credit_decision_v9']],
      ['an unknown feature', { features: ['customer_exposure:nope'], entityRows: [{ customer_id: '1' }] }, 'UNKNOWN_FEATURE', ['customer_exposure:nope']],
      ['an unknown view', { features: ['customer_nope:x'], entityRows: [{ customer_id: '1' }] }, 'UNKNOWN_FEATURE_VIEW', ['customer_nope']],
      ['a malformed feature reference', { features: ['customer_exposure'], entityRows: [{ customer_id: '1' }] }, 'INVALID_FEATURE_REF', ['customer_exposure']],
      ['both a service and features', { featureService: 'credit_decision_v1', features: ['customer_profile:country'], entityRows: [{ customer_id: '1' }] }, 'INVALID_FEATURE_SELECTION', ['either']],
      ['neither a service nor features', { entityRows: [{ customer_id: '1' }] }, 'INVALID_FEATURE_SELECTION', ['either']],
      ['an empty feature list', { features: [], entityRows: [{ customer_id: '1' }] }, 'INVALID_FEATURE_SELECTION', ['empty']],
      ['an empty batch', { features: ['customer_profile:country'], entityRows: [] }, 'EMPTY_ENTITY_ROWS', ['at least one']],
      [
        'more than 1000 rows',
        { features: ['customer_profile:country'], entityRows: Array.from({ length: 1001 }, (_, i) => ({ customer_id: String(i + 1) })) },
        'TOO_MANY_ENTITY_ROWS',
        ['1001', '1000'],
      ],
      ['a non-numeric id', { features: ['customer_profile:country'], entityRows: [{ customer_id: '1' }, { customer_id: 'abc' }] }, 'INVALID_ENTITY_ID', ['row 1', 'customer_id', 'abc']],
      ['an id with a leading zero', { features: ['customer_profile:country'], entityRows: [{ customer_id: '007' }] }, 'INVALID_ENTITY_ID', ['customer_id', '007']],
      ['an id beyond bigint', { features: ['customer_profile:country'], entityRows: [{ customer_id: '9223372036854775808' }] }, 'INVALID_ENTITY_ID', ['9223372036854775808']],
      ['a malformed merchant id', { features: ['customer_profile:country'], entityRows: [{ customer_id: '1', merchant_id: '-4' }] }, 'INVALID_ENTITY_ID', ['merchant_id', '-4']],
      ['a row that is not an object', { features: ['customer_profile:country'], entityRows: ['1' as never] }, 'INVALID_ENTITY_ROW', ['row 0']],
      ['duplicate rows', { features: ['customer_profile:country'], entityRows: [{ customer_id: '1' }, { customer_id: '2' }, { customer_id: '1' }] }, 'DUPLICATE_ENTITY_ROW', ['row 2', 'customer_id=1', 'row 0']],
      ['a service row without merchant_id', { ...creditDecision([{ customer_id: '1' }]) }, 'MISSING_ENTITY_ID', ['row 0', 'merchant_id', 'credit_decision_v1', 'merchant_risk']],
      ['a features row without customer_id', { features: ['customer_profile:country'], entityRows: [{ merchant_id: '4' }] }, 'MISSING_ENTITY_ID', ['customer_id']],
      ['a missing request input', { features: ['credit_request:exposure_after_order'], entityRows: [{ customer_id: '1' }] }, 'INVALID_REQUEST_INPUT', ['requested_amount', 'credit_request:exposure_after_order']],
      [
        'a request input of the wrong type',
        { ...creditDecision(), requestContext: { requested_amount: 12_000 } },
        'INVALID_REQUEST_INPUT',
        ['requested_amount', 'MONEY'],
      ],
    ];

    it.each(cases)('rejects %s', async (_name, command, reason, inMessage) => {
      const { store, source, useCase } = setup();
      const error = await rejection(() => useCase.execute(command));
      expect(error).toBeInstanceOf(FeatureStoreError);
      expect(error.reason).toBe(reason);
      for (const s of inMessage) expect(error.message).toContain(s);
      expect(store.reads).toHaveLength(0);
      expect(source.calls).toHaveLength(0);
    });

    it('accepts a duplicate customer with different merchants, and ignores ids the features do not need', async () => {
      const { store, useCase } = setup();
      const result = await useCase.execute({ ...creditDecision([{ customer_id: '1', merchant_id: '2' }, { customer_id: '1', merchant_id: '3' }]) });
      expect(result.results).toHaveLength(2);
      expect(store.reads[0].keys).toEqual([
        { entity: 'customer', id: '1' },
        { entity: 'merchant', id: '2' },
        { entity: 'merchant', id: '3' },
      ]);
    });
  });
});
