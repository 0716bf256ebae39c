import { bnplCatalog } from '@bnpl/feature-definitions';
import { ObservedOnlineStore, type StoredView } from '@bnpl/online-store';
import { OnlineRead, selectPairs, splitAnswer } from './online-read';

const NOW = new Date('2025-03-15T12:00:00.000Z');
const service = bnplCatalog.resolveService('credit_decision_v1');
const CUSTOMER_VIEWS = service.storedViews.filter((v) => v.entity.name === 'customer').map((v) => v.name);
const stored = (tag: string): StoredView => ({ values: { tag }, eventTime: NOW });

describe('selectPairs', () => {
  it('pairs each view with the distinct ids of its own entity, and lists each (entity, id) key once', () => {
    const rows = [
      { customer_id: '1', merchant_id: '45' },
      { customer_id: '1', merchant_id: '46' },
      { customer_id: '45', merchant_id: '45' },
    ];
    const selection = selectPairs(service.storedViews, rows);

    expect(selection.views).toEqual(service.storedViews.map((v) => v.name));
    // A customer and a merchant with the same id are different keys.
    expect(selection.keys).toEqual([
      { entity: 'customer', id: '1' },
      { entity: 'customer', id: '45' },
      { entity: 'merchant', id: '45' },
      { entity: 'merchant', id: '46' },
    ]);
    expect(selection.byView.map((p) => [p.view.name, p.ids, p.keyIndexes, p.viewIndex])).toEqual([
      ...CUSTOMER_VIEWS.map((name, i) => [name, ['1', '45'], [0, 1], i]),
      ['merchant_risk', ['45', '46'], [2, 3], CUSTOMER_VIEWS.length],
    ]);
  });

  it('selects nothing when no stored view is needed', () => {
    expect(selectPairs([], [{ customer_id: '1' }])).toEqual({ keys: [], views: [], byView: [] });
  });
});

describe('splitAnswer', () => {
  const views = [bnplCatalog.getView('customer_profile'), bnplCatalog.getView('merchant_risk')];
  const selection = selectPairs(views, [{ customer_id: '7', merchant_id: '7' }]);

  it('looks only at each entity\'s own views: a customer id is never looked up in a merchant view', () => {
    // Keys: customer 7, merchant 7; views: customer_profile, merchant_risk. The cross cells hold rows
    // that must never be served.
    const answer = [
      [stored('customer 7 profile'), stored('customer 7 in merchant_risk')],
      [stored('merchant 7 in customer_profile'), null],
    ];
    const outcome = splitAnswer(selection, answer);

    expect(outcome.answered).toBe(true);
    expect(outcome.views.map((v) => [v.view.name, [...v.found].map(([id, row]) => [id, row.values['tag']]), v.missing])).toEqual([
      ['customer_profile', [['7', 'customer 7 profile']], []],
      ['merchant_risk', [], ['7']],
    ]);
  });

  it('reports every pair missing when the store did not answer, or answered short', () => {
    const none = splitAnswer(selection, null);
    expect(none.answered).toBe(false);
    expect(none.views.map((v) => [v.found.size, v.missing])).toEqual([[0, ['7']], [0, ['7']]]);

    const short = splitAnswer(selection, [[stored('profile')]]);
    expect(short.answered).toBe(true);
    expect(short.views.map((v) => [v.found.size, v.missing])).toEqual([[1, []], [0, ['7']]]);
  });
});

describe('OnlineRead', () => {
  const reads: OnlineRead[] = [];
  afterEach(() => reads.splice(0).forEach((r) => r.close()));
  function setup(options: { timeoutMs?: number; resetTimeoutMs?: number } = {}) {
    const store = new ObservedOnlineStore({ catalog: bnplCatalog });
    const logger = { log: jest.fn(), warn: jest.fn() };
    const online = new OnlineRead(store, { timeoutMs: options.timeoutMs, breaker: { resetTimeoutMs: options.resetTimeoutMs }, logger });
    reads.push(online);
    return { store, logger, online };
  }
  const rows = [{ customer_id: '1', merchant_id: '45' }, { customer_id: '2', merchant_id: '45' }];

  it('reads every pair in one call and counts the hits and misses of the pairs that can exist', async () => {
    const { store, online } = setup();
    await store.inner.write([
      { key: { entity: 'customer', id: '1' }, view: 'customer_profile', values: { country: 'profile 1' }, eventTime: NOW },
      { key: { entity: 'merchant', id: '45' }, view: 'merchant_risk', values: { merchant_category: 'risk 45' }, eventTime: NOW },
    ]);
    // A row under a view of another entity is never stored (the store rejects it, and reads those cells as
    // null); that such a cell would not be served either is splitAnswer's test above.
    const selection = selectPairs([bnplCatalog.getView('customer_profile'), bnplCatalog.getView('merchant_risk')], rows);

    const outcome = await online.read(selection);

    expect(store.reads).toEqual([{ keys: selection.keys, views: ['customer_profile', 'merchant_risk'] }]);
    expect(outcome.views.map((v) => [v.view.name, [...v.found.keys()], v.missing])).toEqual([
      ['customer_profile', ['1'], ['2']],
      ['merchant_risk', ['45'], []],
    ]);
    expect(online.stats()).toEqual({ onlineHits: 2, onlineMisses: 1, onlineStoreFailures: 0 });
  });

  it('answers "not read" when the store is down, counting a failure and no misses; the open breaker skips the store without a log line', async () => {
    const { store, logger, online } = setup({ resetTimeoutMs: 60_000 });
    store.down = true;
    const selection = selectPairs([bnplCatalog.getView('customer_profile')], rows);

    const first = await online.read(selection);
    expect(first.answered).toBe(false);
    expect(first.views[0].missing).toEqual(['1', '2']);
    expect(online.breakerState()).toBe('open');

    const second = await online.read(selection);
    expect(second.answered).toBe(false);
    expect(store.reads).toHaveLength(1);
    expect(online.stats()).toEqual({ onlineHits: 0, onlineMisses: 0, onlineStoreFailures: 2 });
    expect(logger.warn.mock.calls.map(([message]) => message)).toEqual([expect.stringMatching(/online store opened/), expect.stringMatching(/^Online store read failed/)]);
  });

  it('gives up on a store slower than its timeout', async () => {
    const { store, online } = setup({ timeoutMs: 20 });
    store.hold(); // never released
    const outcome = await online.read(selectPairs([bnplCatalog.getView('customer_profile')], rows));
    expect(outcome.answered).toBe(false);
    expect(online.stats().onlineStoreFailures).toBe(1);
  });

  it('does not call the store when no pair is needed', async () => {
    const { store, online } = setup();
    const outcome = await online.read(selectPairs([], rows));
    expect(outcome).toEqual({ answered: false, views: [] });
    expect(store.reads).toHaveLength(0);
    expect(online.stats().onlineStoreFailures).toBe(0);
  });
});
