import { bnplCatalog, evaluateViewTiles, money, summariseViewTiles } from '@bnpl/feature-definitions';
import { InMemoryOnlineStore, L1CachedOnlineStore, type OnlineStore } from '@bnpl/online-store';
import { FakeSourceFeatureReader } from '../../testing/fake-source-feature-reader';
import { GetOnlineFeatures } from './get-online-features.use-case';

const NOW = new Date('2025-03-15T12:00:00.000Z');
let namespaces = 0;

function setup(cached: boolean) {
  const backend = new InMemoryOnlineStore({ catalog: bnplCatalog, namespace: `served-trace-spec-${++namespaces}` });
  const store: OnlineStore = cached ? new L1CachedOnlineStore(backend, { maxEntries: 100, ttlMs: 60_000 }) : backend;
  const source = new FakeSourceFeatureReader();
  const useCase = new GetOnlineFeatures(bnplCatalog, store, source, { clock: () => NOW, streamWatermarkRefreshMs: 0 });
  created.push(useCase);
  return { backend, source, useCase };
}

const created: GetOnlineFeatures[] = [];
afterEach(async () => {
  await Promise.all(created.splice(0).map((u) => u.close()));
});

const command = {
  features: ['customer_profile:kyc_level', 'customer_exposure:outstanding_balance', 'credit_request:exposure_after_order'],
  entityRows: [{ customer_id: '1' }, { customer_id: '2' }],
  requestContext: { requested_amount: money(12_000, 'EUR') },
};

const written = new Date(NOW.getTime() - 3_600_000);

/** A customer_profile row with tiles, as the streaming path stores it, written an hour ago. */
function streamedProfile(id: string) {
  const customer = { id, country: 'GB', currency: 'EUR', kyc_level: 3, credit_limit_minor: 1, status: 'active', created_at: new Date(NOW.getTime() - 86_400_000), updated_at: NOW };
  const profile = bnplCatalog.getView('customer_profile');
  const tiles = summariseViewTiles(profile, customer, {}, written);
  if (!tiles) throw new Error('no tiles');
  return { key: { entity: 'customer', id }, view: 'customer_profile', values: evaluateViewTiles(profile, tiles, tiles.asOfDay), eventTime: written, tiles };
}

describe('GetOnlineFeatures.executeTraced', () => {
  it('answers what execute answers, and tells each value\'s origin: backend, then L1, source on a miss, request-time', async () => {
    const { backend, source, useCase } = setup(true);
    const eventTime = new Date(NOW.getTime() - 60_000);
    await backend.write([
      { key: { entity: 'customer', id: '1' }, view: 'customer_profile', values: { kyc_level: 2 }, eventTime },
      { key: { entity: 'customer', id: '1' }, view: 'customer_exposure', values: { outstanding_balance: money(500, 'EUR') }, eventTime },
    ]);
    source.put('customer_profile', '2', { kyc_level: 1 });
    source.put('customer_exposure', '2', { outstanding_balance: money(0, 'EUR') });

    const first = await useCase.executeTraced(command);
    expect(first.result.results[0].values.map((v) => v.value)).toEqual([2, money(500, 'EUR'), money(12_500, 'EUR')]);
    expect(first.trace.servedAt).toEqual(NOW);
    expect(first.trace.views).toEqual(['customer_profile', 'customer_exposure', 'credit_request']);
    expect(first.trace.rows.map((r) => r.origins)).toEqual([
      ['online-store', 'online-store', 'request'],
      ['source', 'source', 'request'],
    ]);

    // Customer 1 is now in L1; customer 2 was refilled into the backend (L1 dropped it on the write).
    await useCase.drain();
    const second = await useCase.executeTraced(command);
    expect(second.result.results.map((r) => r.values.map((v) => v.value))).toEqual(first.result.results.map((r) => r.values.map((v) => v.value)));
    expect(second.trace.rows.map((r) => r.origins)).toEqual([
      ['l1', 'l1', 'request'],
      ['online-store', 'online-store', 'request'],
    ]);
  });

  it('labels every stored value online-store without a cache, and flags rows the stream keeps', async () => {
    const { backend, useCase } = setup(false);
    await backend.write([
      streamedProfile('1'),
      { key: { entity: 'customer', id: '1' }, view: 'customer_exposure', values: { outstanding_balance: money(1, 'EUR') }, eventTime: written },
    ]);
    const { trace } = await useCase.executeTraced({ ...command, entityRows: [{ customer_id: '1' }] });
    expect(trace.rows).toEqual([{ origins: ['online-store', 'online-store', 'request'], streamed: [true, false, false] }]);
    expect(trace.streamWatermarkMs).toBe(0);
  });

  it('gives each value its own view\'s origin and streamed flag, with features of views interleaved and rows of other customers', async () => {
    const { backend, source, useCase } = setup(false);
    // Customer 1: profile stored, exposure from the source; customer 2: profile streamed (tiles), exposure stored.
    await backend.write([
      { key: { entity: 'customer', id: '1' }, view: 'customer_profile', values: { kyc_level: 2, country: 'FR' }, eventTime: written },
      streamedProfile('2'),
      { key: { entity: 'customer', id: '2' }, view: 'customer_exposure', values: { outstanding_balance: money(1, 'EUR') }, eventTime: written },
    ]);
    source.put('customer_exposure', '1', { outstanding_balance: money(0, 'EUR') });
    const { trace } = await useCase.executeTraced({
      ...command,
      features: ['customer_exposure:outstanding_balance', 'customer_profile:kyc_level', 'credit_request:exposure_after_order', 'customer_profile:country'],
    });
    expect(trace.rows).toEqual([
      { origins: ['source', 'online-store', 'request', 'online-store'], streamed: [false, false, false, false] },
      { origins: ['online-store', 'online-store', 'request', 'online-store'], streamed: [false, true, false, true] },
    ]);
  });

  it('rejects what execute rejects, before any read', async () => {
    const { useCase } = setup(true);
    await expect(useCase.executeTraced({ features: ['customer_profile:nope'], entityRows: [{ customer_id: '1' }] })).rejects.toMatchObject({ reason: 'UNKNOWN_FEATURE' });
  });
});
