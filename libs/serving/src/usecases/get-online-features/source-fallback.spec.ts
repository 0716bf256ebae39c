import { FeatureComputationError, bnplCatalog } from '@bnpl/feature-definitions';
import { ObservedOnlineStore, OnlineStoreUnavailableError } from '@bnpl/online-store';
import { FakeSourceFeatureReader } from '../../testing/fake-source-feature-reader';
import { SourceFallback, type SourceFallbackOptions } from './source-fallback';

const NOW = new Date('2025-03-15T12:00:00.000Z');
const profile = bnplCatalog.getView('customer_profile');
const exposure = bnplCatalog.getView('customer_exposure');

const created: SourceFallback[] = [];
afterEach(async () => {
  for (const f of created.splice(0)) {
    await f.drain();
    f.close();
  }
});

function setup(options: Partial<SourceFallbackOptions> = {}) {
  const store = new ObservedOnlineStore({ catalog: bnplCatalog });
  const source = new FakeSourceFeatureReader();
  const logger = { log: jest.fn(), warn: jest.fn() };
  const fallback = new SourceFallback(source, store, bnplCatalog.views, { logger, ...options });
  created.push(fallback);
  return { store, source, logger, fallback };
}

/** Rejection of `p`, failing the test if it resolves. */
async function rejection(p: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await p;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('SourceFallback', () => {
  it('reads the ids from the source as of the instant given, in their order, null for unknown entities, and refills the known ones if-newer', async () => {
    const { store, source, fallback } = setup();
    source.put('customer_profile', '1', { country: 'PL' });
    source.put('customer_profile', '3', { country: 'DE' });

    const values = await fallback.read(profile, ['3', '404', '1'], NOW, true);
    await fallback.drain();

    expect(values).toEqual([{ values: { country: 'DE' }, eventTime: NOW }, null, { values: { country: 'PL' }, eventTime: NOW }]);
    expect(source.calls).toEqual([{ view: 'customer_profile', ids: ['3', '404', '1'], asOf: NOW }]);
    expect(store.writes.map((w) => [w.options, w.rows.map((r) => [r.key, r.view, r.eventTime])])).toEqual([
      [
        { mode: 'if-newer' },
        [
          [{ entity: 'customer', id: '3' }, 'customer_profile', NOW],
          [{ entity: 'customer', id: '1' }, 'customer_profile', NOW],
        ],
      ],
    ]);
    expect(fallback.stats()).toEqual({
      negativeCacheHits: 0,
      sourceReads: 1,
      sourceEntities: 3,
      sourceSharedEntities: 0,
      sourceFailures: 0,
      refilledRows: 2,
      refillFailures: 0,
    });
  });

  it('does not refill when told not to (the store is down), nor when nothing was found', async () => {
    const { store, source, fallback } = setup();
    source.put('customer_profile', '1', { country: 'PL' });
    await fallback.read(profile, ['1'], NOW, false);
    await fallback.read(profile, ['404'], NOW, true);
    await fallback.drain();
    expect(store.writes).toHaveLength(0);
  });

  it('logs and counts a failed refill; the read itself succeeds', async () => {
    const { store, source, logger, fallback } = setup();
    source.put('customer_profile', '1', { country: 'PL' });
    store.writeError = new OnlineStoreUnavailableError(store.kind, 'READONLY');

    expect(await fallback.read(profile, ['1'], NOW, true)).toEqual([{ values: { country: 'PL' }, eventTime: NOW }]);
    await fallback.drain();

    expect(logger.warn).toHaveBeenCalledWith('Online store refill of customer_profile failed (1 rows); the read was served from the source', {
      error: expect.stringContaining('READONLY'),
    });
    expect(fallback.stats()).toMatchObject({ refilledRows: 0, refillFailures: 1 });
  });

  describe('single flight', () => {
    it('shares a read in flight between callers asking for the same pairs, and reads only the ids not in flight', async () => {
      const { source, fallback } = setup();
      for (const id of ['1', '2']) source.put('customer_exposure', id, { active_plans_count: Number(id) });
      let release!: () => void;
      source.gate = new Promise((r) => (release = r));

      const first = fallback.read(exposure, ['1'], NOW, false);
      const second = fallback.read(exposure, ['1'], NOW, false);
      const third = fallback.read(exposure, ['2', '1'], NOW, false);
      // Another view's pair with the same id is another pair.
      const otherView = fallback.read(profile, ['1'], NOW, false);
      release();

      expect(await first).toEqual(await second);
      expect((await third).map((v) => v?.values['active_plans_count'])).toEqual([2, 1]);
      expect(await otherView).toEqual([null]);
      expect(source.calls.map((c) => [c.view, c.ids])).toEqual([
        ['customer_exposure', ['1']],
        ['customer_exposure', ['2']],
        ['customer_profile', ['1']],
      ]);
      expect(fallback.stats()).toMatchObject({ sourceReads: 3, sourceEntities: 3, sourceSharedEntities: 2 });
    });

    it('reads again once the shared read has settled', async () => {
      const { source, fallback } = setup({ negativeCacheTtlMs: 0 });
      await fallback.read(profile, ['1'], NOW, false);
      await fallback.read(profile, ['1'], NOW, false);
      expect(source.calls).toHaveLength(2);
    });

    it('fails every caller sharing a failed read, and lets the next one try again', async () => {
      const { source, fallback } = setup({ breaker: { volumeThreshold: 10 } });
      source.down = true;
      let release!: () => void;
      source.gate = new Promise((r) => (release = r));
      const first = fallback.read(profile, ['1'], NOW, false);
      const second = fallback.read(profile, ['1'], NOW, false);
      release();
      expect((await rejection(first)).message).toContain('ECONNREFUSED');
      expect((await rejection(second)).message).toContain('ECONNREFUSED');

      source.down = false;
      source.gate = null;
      source.put('customer_profile', '1', { country: 'PL' });
      expect(await fallback.read(profile, ['1'], NOW, false)).toEqual([{ values: { country: 'PL' }, eventTime: NOW }]);
      expect(fallback.stats()).toMatchObject({ sourceReads: 2, sourceFailures: 1, sourceSharedEntities: 1 });
    });
  });

  describe('negative cache', () => {
    it('remembers an unknown entity: the next read answers null without a source query, and only the others are read', async () => {
      const { source, fallback } = setup();
      source.put('customer_profile', '1', { country: 'PL' });
      await fallback.read(profile, ['404'], NOW, false);

      expect(await fallback.read(profile, ['404'], NOW, false)).toEqual([null]);
      expect(await fallback.read(profile, ['1', '404'], NOW, false)).toEqual([{ values: { country: 'PL' }, eventTime: NOW }, null]);
      expect(source.calls.map((c) => c.ids)).toEqual([['404'], ['1']]);
      expect(fallback.stats()).toMatchObject({ negativeCacheHits: 2, sourceReads: 2, sourceEntities: 2 });
    });

    it('remembers per view: an entity unknown to one view is still read for another', async () => {
      const { source, fallback } = setup();
      await fallback.read(profile, ['404'], NOW, false);
      await fallback.read(exposure, ['404'], NOW, false);
      expect(source.calls.map((c) => c.view)).toEqual(['customer_profile', 'customer_exposure']);
    });

    it('forgets every view of the entities given, and nothing of other entities', async () => {
      const { source, fallback } = setup();
      await fallback.read(profile, ['404'], NOW, false);
      await fallback.read(exposure, ['404'], NOW, false);
      await fallback.read(profile, ['405'], NOW, false);

      fallback.forget([{ entity: 'merchant', id: '404' }]);
      await fallback.read(profile, ['404'], NOW, false);
      expect(source.calls).toHaveLength(3);

      fallback.forget([{ entity: 'customer', id: '404' }]);
      await fallback.read(profile, ['404', '405'], NOW, false);
      await fallback.read(exposure, ['404'], NOW, false);
      expect(source.calls.map((c) => [c.view, c.ids]).slice(3)).toEqual([
        ['customer_profile', ['404']],
        ['customer_exposure', ['404']],
      ]);
    });

    it('forgets after its TTL, and is off with a TTL of 0', async () => {
      const short = setup({ negativeCacheTtlMs: 20 });
      await short.fallback.read(profile, ['404'], NOW, false);
      await new Promise((r) => setTimeout(r, 40));
      await short.fallback.read(profile, ['404'], NOW, false);
      expect(short.source.calls).toHaveLength(2);

      const off = setup({ negativeCacheTtlMs: 0 });
      await off.fallback.read(profile, ['404'], NOW, false);
      await off.fallback.read(profile, ['404'], NOW, false);
      expect(off.source.calls).toHaveLength(2);
      expect(off.fallback.stats().negativeCacheHits).toBe(0);
    });

    it('holds at most the given number of pairs', async () => {
      const { source, fallback } = setup({ negativeCacheMaxEntries: 1 });
      await fallback.read(profile, ['404'], NOW, false);
      await fallback.read(profile, ['405'], NOW, false); // pushes 404 out
      await fallback.read(profile, ['404'], NOW, false);
      expect(source.calls.map((c) => c.ids)).toEqual([['404'], ['405'], ['404']]);
    });
  });

  describe('breaker', () => {
    it('opens on a failed read, then fails fast without calling the source, and logs each transition once', async () => {
      const { source, logger, fallback } = setup({ breaker: { resetTimeoutMs: 40 } });
      source.down = true;

      expect((await rejection(fallback.read(profile, ['1'], NOW, false))).message).toContain('ECONNREFUSED');
      expect(fallback.breakerState()).toBe('open');
      expect((await rejection(fallback.read(profile, ['1'], NOW, false))).code).toBe('EOPENBREAKER');
      expect(source.calls).toHaveLength(1);
      expect(fallback.stats()).toMatchObject({ sourceReads: 2, sourceFailures: 2 });

      source.down = false;
      await new Promise((r) => setTimeout(r, 60));
      expect(fallback.breakerState()).toBe('half-open');
      expect(await fallback.read(profile, ['1'], NOW, false)).toEqual([null]);
      expect(fallback.breakerState()).toBe('closed');
      expect(logger.warn.mock.calls.map(([m]) => m)).toEqual(['Circuit breaker for the source opened: reads skip it until it half-opens']);
      expect(logger.log.mock.calls.map(([m]) => m)).toEqual([
        'Circuit breaker for the source half-open: trying it again',
        'Circuit breaker for the source closed: it answers again',
      ]);
    });

    it('times out a hanging source', async () => {
      const { source, fallback } = setup({ timeoutMs: 20 });
      source.gate = new Promise(() => undefined);
      // The gate never opens: without the timeout this would hang and fail on the runner's test timeout.
      expect((await rejection(fallback.read(profile, ['1'], NOW, false))).code).toBe('ETIMEDOUT');
    });

    it('passes on a data error (FeatureStoreError) without opening', async () => {
      const { source, fallback } = setup();
      source.readView = async () => {
        throw new FeatureComputationError('INVALID_FEATURE_VALUE', 'customer_profile:kyc_level out of range');
      };
      expect(await rejection(fallback.read(profile, ['1'], NOW, false))).toBeInstanceOf(FeatureComputationError);
      expect(fallback.breakerState()).toBe('closed');
    });
  });
});
