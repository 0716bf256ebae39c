import {
  bnplCatalog,
  formatDayNumber,
  evaluateViewTiles,
  money,
  summariseViewTiles,
  utcDayNumber,
  type FeatureRow,
  type SourceFeatureReader,
} from '@bnpl/feature-definitions';
import { ObservedOnlineStore, type EntityKey, type OnlineRow } from '@bnpl/online-store';
import { checkParity, type ParityOptions, type ParityProgress } from './check-parity';
import { InvalidParityOptionsError } from './invalid-parity-options.error';

const DAY_MS = 86_400_000;
const NOW = new Date('2025-03-15T10:20:30Z');
const TODAY = utcDayNumber(NOW);
const OLD = new Date(NOW.getTime() - 40 * DAY_MS);
const VIEWS = ['customer_profile', 'customer_exposure'];

/**
 * The source of truth in miniature: customers with an id in `ids`. `account_age_days` moves with the
 * as-of date (like any age or window); everything else is current state, editable through `state`.
 */
function fakeSource(ids: readonly number[]) {
  const existing = new Set(ids.map(String));
  const state = new Map<string, { kyc: number; overdue: number }>([...existing].map((id) => [id, { kyc: Number(id) % 4, overdue: 0 }]));
  const calls: Array<{ kind: 'range' | 'ids'; view: string; from?: string; to?: string; ids?: readonly string[]; asOfDay: string }> = [];
  const row = (view: string, id: string, asOf: Date): FeatureRow => {
    const s = state.get(id);
    if (!s) throw new Error(`no customer ${id}`);
    switch (view) {
      case 'customer_profile':
        return { account_age_days: utcDayNumber(asOf) - (TODAY - 500 - Number(id)), kyc_level: s.kyc, country: 'DE', account_status: 'active' };
      case 'customer_exposure':
        return {
          active_plans_count: 1,
          outstanding_balance: money(Number(id) * 100, 'EUR'),
          overdue_balance: money(s.overdue, 'EUR'),
          credit_limit: money(50_000, 'EUR'),
          utilization: (Number(id) * 100) / 50_000,
        };
      default:
        return {};
    }
  };
  const source: SourceFeatureReader = {
    readView: async (view, entityIds, asOf) => {
      calls.push({ kind: 'ids', view, ids: [...entityIds], asOfDay: formatDayNumber(utcDayNumber(asOf)) });
      return entityIds.map((id) => (existing.has(id) ? row(view, id, asOf) : null));
    },
    readViewRange: async (view, from, to, asOf) => {
      calls.push({ kind: 'range', view, from, to, asOfDay: formatDayNumber(utcDayNumber(asOf)) });
      return [...existing]
        .filter((id) => BigInt(id) >= BigInt(from) && BigInt(id) <= BigInt(to))
        .sort((a, b) => Number(BigInt(a) - BigInt(b)))
        .map((id) => ({ entityId: id, features: row(view, id, asOf) }));
    },
  };
  return { source, state, calls, row, existing };
}

const customer = (id: string): EntityKey => ({ entity: 'customer', id });

/**
 * Removes one stored view of a customer, leaving the others: the port deletes whole entities, so the
 * other views are read, the entity deleted and they are written back. Arranged behind the call log.
 */
async function dropView(online: ObservedOnlineStore, id: string, view: string): Promise<void> {
  const views = bnplCatalog.views.filter((v) => v.entity.name === 'customer').map((v) => v.name);
  const [stored] = await online.inner.read([customer(id)], views);
  await online.inner.delete([customer(id)]);
  const keep = views.flatMap((name, i): OnlineRow[] => {
    const row = stored[i];
    return name !== view && row ? [{ key: customer(id), view: name, ...row }] : [];
  });
  await online.inner.write(keep, { mode: 'overwrite' });
}

/** What a correct writer leaves behind: the source's rows as of `at`, with `at` as event time. */
async function materialize(source: ReturnType<typeof fakeSource>, online: ObservedOnlineStore, ids: readonly number[], at: Date, views = VIEWS) {
  await online.inner.write(ids.flatMap((id) => views.map((view) => ({ key: { entity: 'customer', id: String(id) }, view, values: source.row(view, String(id), at), eventTime: at }))));
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

function setup(ids: readonly number[]) {
  const source = fakeSource(ids);
  const online = new ObservedOnlineStore({ catalog: bnplCatalog });
  const run = (options: Partial<ParityOptions> = {}) =>
    checkParity({ catalog: bnplCatalog, source: source.source, online, now: () => NOW }, { entity: 'customer', views: VIEWS, fromId: '1', toId: '100', ...options });
  return { source, online, run };
}

describe('checkParity', () => {
  it('reports zero mismatches when the online store holds what the source computes', async () => {
    const { source, online, run } = setup(range(1, 50));
    await materialize(source, online, range(1, 50), NOW);
    const report = await run();
    expect(report).toMatchObject({
      entity: 'customer',
      views: VIEWS,
      entitiesChecked: 50,
      rowsChecked: 100,
      mismatchedRows: 0,
      missingOnline: 0,
      orphanedOnline: 0,
      byFeature: {},
      samples: [],
      staleDateRows: 0,
      rowsByEventDate: { '2025-03-15': 100 },
      consistent: true,
      asOf: null,
      idsGiven: null,
    });
  });

  it('compares a row with per-day tiles as served today, summing its tiles, whatever its event date', async () => {
    const { source, online, run } = setup(range(1, 4));
    await materialize(source, online, range(1, 4), NOW, ['customer_exposure']);
    // Profiles kept by the streaming path 40 days ago: their ages move with the clock through the tiles.
    const profile = bnplCatalog.getView('customer_profile');
    const streamed = (id: number, createdDay: number) => {
      const row = { id: String(id), country: 'DE', currency: 'EUR', kyc_level: id % 4, credit_limit_minor: 50_000, status: 'active', created_at: new Date(createdDay * DAY_MS), updated_at: OLD };
      const tiles = summariseViewTiles(profile, row, {}, OLD);
      if (!tiles) throw new Error('no tiles');
      return { key: { entity: 'customer', id: String(id) }, view: 'customer_profile', values: evaluateViewTiles(profile, tiles, tiles.asOfDay), eventTime: OLD, tiles };
    };
    // Customer 3's tiles hold a wrong account creation day.
    await online.inner.write([1, 2, 3, 4].map((id) => streamed(id, TODAY - 500 - id + (id === 3 ? 2 : 0))));
    const report = await run();
    expect(report).toMatchObject({ rowsChecked: 8, mismatchedRows: 1, byFeature: { 'customer_profile:account_age_days': 1 } });
    expect(report.samples[0]).toMatchObject({ entityId: '3', expected: 503, online: 501 });
    // Compared as of today: no read of the source as of the rows' own (old) date.
    expect(source.calls.every((c) => c.asOfDay === formatDayNumber(TODAY))).toBe(true);
  });

  it('checks every stored view of the entity by default', async () => {
    const { source, online } = setup(range(1, 5));
    const all = bnplCatalog.views.filter((v) => v.entity.name === 'customer').map((v) => v.name);
    await materialize(source, online, range(1, 5), NOW, all);
    const report = await checkParity({ catalog: bnplCatalog, source: source.source, online, now: () => NOW }, { entity: 'customer', fromId: '1', toId: '5' });
    expect(report.views).toEqual(all);
    expect(report).toMatchObject({ rowsChecked: 5 * all.length, mismatchedRows: 0 });
  });

  it('counts a changed feature by feature and names expected and online values in a sample', async () => {
    const { source, online, run } = setup(range(1, 50));
    await materialize(source, online, range(1, 50), NOW);
    // A data change the writer missed: instalments of customer 7 went overdue.
    source.state.set('7', { kyc: 3, overdue: 500 });
    const report = await run();
    expect(report.byFeature).toEqual({ 'customer_exposure:overdue_balance': 1 });
    expect(report).toMatchObject({ mismatchedRows: 1, missingOnline: 0, rowsChecked: 100, consistent: false });
    expect(report.samples).toEqual([
      { entityId: '7', view: 'customer_exposure', feature: 'overdue_balance', expected: { amountMinor: 500, currency: 'EUR' }, online: { amountMinor: 0, currency: 'EUR' }, kind: 'value', eventTime: NOW },
    ]);
  });

  it('tells a stored default from no value: the online store keeps raw values', async () => {
    const { source, online, run } = setup(range(1, 3));
    await materialize(source, online, range(1, 3), NOW);
    const [[stored]] = await online.inner.read([customer('2')], ['customer_exposure']);
    // The writer stored utilization's default (1) instead of the computed value.
    await online.inner.write([{ key: customer('2'), view: 'customer_exposure', eventTime: NOW, values: { ...stored?.values, utilization: 1 } }], { mode: 'overwrite' });
    const report = await run();
    expect(report.byFeature).toEqual({ 'customer_exposure:utilization': 1 });
    expect(report.samples[0]).toMatchObject({ entityId: '2', expected: 0.004, online: 1 });
  });

  it('counts a row missing online in missingOnline and mismatchedRows, not by feature', async () => {
    const { source, online, run } = setup(range(1, 10));
    await materialize(source, online, range(1, 10), NOW);
    await dropView(online, '3', 'customer_profile');
    const report = await run();
    expect(report).toMatchObject({ rowsChecked: 20, mismatchedRows: 1, missingOnline: 1, byFeature: {}, consistent: false });
    expect(report.samples).toEqual([expect.objectContaining({ entityId: '3', view: 'customer_profile', feature: '*', kind: 'missing-online', online: null, expected: expect.objectContaining({ kyc_level: 3 }) })]);
  });

  it('finds rows stored for ids the source does not have among explicit ids, and only there', async () => {
    const { source, online, run } = setup(range(1, 10));
    await materialize(source, online, range(1, 10), NOW);
    // Left behind for customer 42, who no longer exists in the source.
    await online.inner.write(VIEWS.map((view) => ({ key: customer('42'), view, values: {}, eventTime: NOW })));

    const byIds = await run({ ids: ['42', '2', '2', '7'] });
    expect(byIds).toMatchObject({ idsGiven: 3, entitiesChecked: 2, rowsChecked: 4, mismatchedRows: 0, orphanedOnline: 2, consistent: false, fromId: '1', toId: '100' });
    expect(byIds.samples.map((s) => [s.entityId, s.view, s.kind])).toEqual([
      ['42', 'customer_exposure', 'orphaned-online'],
      ['42', 'customer_profile', 'orphaned-online'],
    ]);
    // Unknown ids with nothing stored are simply not there.
    expect(await run({ ids: ['77'] })).toMatchObject({ entitiesChecked: 0, rowsChecked: 0, orphanedOnline: 0, consistent: true });
    // A range check does not scan the store for keys: the orphan goes unseen (documented).
    expect(await run()).toMatchObject({ orphanedOnline: 0, consistent: true });
  });

  it('compares each online row as of its own event date, so a moved window is not a mismatch but a missed change is', async () => {
    const { source, online, run } = setup(range(1, 20));
    await materialize(source, online, range(1, 10), NOW);
    await materialize(source, online, range(11, 20), OLD); // written 40 days ago, still correct then
    const clean = await run();
    expect(clean).toMatchObject({ mismatchedRows: 0, staleDateRows: 20, rowsByEventDate: { '2025-02-03': 20, '2025-03-15': 20 } });
    // One read per view as of today, one per view by id for the other date.
    expect(source.calls.map((c) => [c.kind, c.view, c.asOfDay, c.ids?.length])).toEqual([
      ['range', 'customer_profile', '2025-03-15', undefined],
      ['range', 'customer_exposure', '2025-03-15', undefined],
      ['ids', 'customer_profile', '2025-02-03', 10],
      ['ids', 'customer_exposure', '2025-02-03', 10],
    ]);

    source.state.set('15', { kyc: 0, overdue: 0 }); // kyc_level was 3: changed after the old write
    const changed = await run();
    expect(changed.byFeature).toEqual({ 'customer_profile:kyc_level': 1 });

    // Compared as of one fixed instant instead, every old row's age differs: what the default avoids.
    const fixed = await run({ asOf: NOW });
    expect(fixed.byFeature).toEqual({ 'customer_profile:account_age_days': 10, 'customer_profile:kyc_level': 1 });
    expect(fixed.asOf).toBe(NOW);
  });

  it('reads the next chunk as of the date most of the previous chunk was written', async () => {
    const { source, online, run } = setup(range(1, 30));
    await materialize(source, online, range(1, 30), OLD);
    const report = await run({ views: ['customer_profile'], toId: '30', chunkSize: 10 });
    expect(report).toMatchObject({ rowsChecked: 30, mismatchedRows: 0, staleDateRows: 30 });
    expect(source.calls.map((c) => `${c.kind} ${c.from ?? c.ids?.[0]} ${c.asOfDay}`)).toEqual(['range 1 2025-03-15', 'ids 1 2025-02-03', 'range 11 2025-02-03', 'range 21 2025-02-03']);
  });

  it('walks the range in chunks of chunkSize ids, one online read per chunk, reporting progress in id order', async () => {
    const ids = range(1, 95).filter((id) => id % 10 !== 0);
    const { source, online, run } = setup(ids);
    await materialize(source, online, ids, NOW);
    await dropView(online, '85', 'customer_exposure');
    source.state.set('33', { kyc: 1, overdue: 1 });
    const progress: ParityProgress[] = [];
    const report = await run({ toId: '95', chunkSize: 20, onProgress: (p) => void progress.push(p) });

    const profileReads = source.calls.filter((c) => c.view === 'customer_profile').map((c) => [c.from, c.to]);
    expect(profileReads).toEqual([['1', '20'], ['21', '40'], ['41', '60'], ['61', '80'], ['81', '95']]);
    expect(online.reads.map(({ keys }) => keys.length)).toEqual([18, 18, 18, 18, 14]);
    expect(progress.map((p) => p.doneThroughId)).toEqual(['20', '40', '60', '80', '95']);
    expect(progress.map((p) => p.mismatchedRows)).toEqual([0, 1, 1, 1, 2]);
    expect(report).toMatchObject({ entitiesChecked: 86, rowsChecked: 172, mismatchedRows: 2, missingOnline: 1, byFeature: { 'customer_exposure:overdue_balance': 1 } });
  });

  it('chunks explicit ids too', async () => {
    const { source, online, run } = setup(range(1, 50));
    await materialize(source, online, range(1, 50), NOW);
    const report = await run({ ids: range(1, 25).map(String), chunkSize: 10 });
    expect(online.reads.map(({ keys }) => keys.length)).toEqual([10, 10, 5]);
    expect(source.calls.every((c) => c.kind === 'ids' && (c.ids?.length ?? 0) <= 10)).toBe(true);
    expect(report).toMatchObject({ entitiesChecked: 25, rowsChecked: 50, mismatchedRows: 0 });
  });

  it('keeps at most sampleLimit samples, at least one of each kind of mismatch when they fit', async () => {
    const { source, online, run } = setup(range(1, 40));
    await materialize(source, online, range(1, 40), NOW);
    for (let id = 1; id <= 30; id++) source.state.set(String(id), { kyc: (id + 1) % 4, overdue: 0 });
    source.state.set('35', { kyc: 3, overdue: 9 });
    await dropView(online, '38', 'customer_profile');
    const report = await run({ sampleLimit: 4 });
    expect(report.byFeature).toEqual({ 'customer_profile:kyc_level': 30, 'customer_exposure:overdue_balance': 1 });
    expect(report.samples).toHaveLength(4);
    expect(report.samples.map((s) => `${s.entityId} ${s.view}:${s.feature}`)).toEqual(['1 customer_profile:kyc_level', '2 customer_profile:kyc_level', '35 customer_exposure:overdue_balance', '38 customer_profile:*']);
    expect((await run({ sampleLimit: 0 })).samples).toEqual([]);
  });

  it('rejects bad options before any I/O, naming the option', async () => {
    const { source, online, run } = setup(range(1, 5));
    const cases: Array<[Partial<ParityOptions>, string, RegExp]> = [
      [{ entity: 'shop' }, 'entity', /unknown entity "shop"/],
      [{ views: ['nope'] }, 'views', /unknown stored view "nope"/],
      [{ views: ['merchant_risk'] }, 'views', /view of merchant, not customer/],
      [{ views: [] }, 'views', /empty/],
      [{ fromId: '007' }, 'fromId', /canonical/],
      [{ fromId: '9', toId: '8' }, 'fromId', /after toId/],
      [{ ids: ['1', '101'] }, 'ids', /outside \[1, 100\]/],
      [{ chunkSize: 0 }, 'chunkSize', />= 1/],
      [{ sampleLimit: -1 }, 'sampleLimit', />= 0/],
      [{ asOf: new Date('nope') }, 'asOf', /not a valid Date/],
    ];
    for (const [options, option, message] of cases) {
      const error = await run(options).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidParityOptionsError);
      expect(error).toMatchObject({ option, reason: 'INVALID_PARITY_OPTIONS', message: expect.stringMatching(message) });
    }
    expect(source.calls).toEqual([]);
    expect(online.reads).toEqual([]);
  });

  it('stops between chunks when aborted', async () => {
    const { source, online, run } = setup(range(1, 50));
    await materialize(source, online, range(1, 50), NOW);
    const controller = new AbortController();
    await expect(run({ chunkSize: 10, onProgress: () => controller.abort(new Error('enough')), signal: controller.signal })).rejects.toThrow('enough');
    expect(online.reads).toHaveLength(1);
  });
});
