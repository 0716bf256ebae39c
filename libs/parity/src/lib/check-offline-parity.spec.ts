import { bnplCatalog, money, utcDayNumber, type FeatureRow, type SourceFeatureReader } from '@bnpl/feature-definitions';
import type { LatestOfflineRow, OfflineStore } from '@bnpl/offline-store';
import { checkOfflineParity } from './check-offline-parity';

const DAY_MS = 86_400_000;
const NOW = new Date('2025-03-15T10:20:30Z');
const TODAY = utcDayNumber(NOW);

/** Customers 1..20: the profile's age moves with the as-of date, the rest is current state in `kyc`. */
function world() {
  const kyc = new Map(Array.from({ length: 20 }, (_, i) => [String(i + 1), (i + 1) % 4]));
  const profile = (id: string, asOf: Date): FeatureRow => ({ account_age_days: utcDayNumber(asOf) - (TODAY - 100), kyc_level: kyc.get(id) ?? 0, country: 'DE', account_status: 'active' });
  const source: SourceFeatureReader = {
    readView: async (_view, ids, asOf) => ids.map((id) => (kyc.has(id) ? profile(id, asOf) : null)),
    readViewRange: async (_view, from, to, asOf) => [...kyc.keys()].filter((id) => Number(id) >= Number(from) && Number(id) <= Number(to)).map((id) => ({ entityId: id, features: profile(id, asOf) })),
  };
  // The history: every customer's row written yesterday, as a materialization would have.
  const yesterday = new Date(NOW.getTime() - DAY_MS);
  const history = new Map<string, LatestOfflineRow>([...kyc.keys()].map((id) => [id, { eventTime: yesterday, values: profile(id, yesterday) }]));
  const reads: number[] = [];
  const offline: Pick<OfflineStore, 'readLatestRows'> = {
    readLatestRows: async (view, ids) => (reads.push(ids.length), ids.map((id) => (view === 'customer_profile' ? (history.get(id) ?? null) : null))),
  };
  return { kyc, source, history, offline, reads };
}

const options = { entity: 'customer', views: ['customer_profile'], fromId: '1', toId: '30' };

describe('checkOfflineParity', () => {
  it('finds the history consistent when its latest rows equal the source as of their own dates', async () => {
    const w = world();
    const report = await checkOfflineParity({ catalog: bnplCatalog, source: w.source, offline: w.offline, now: () => NOW }, options);
    expect(report).toMatchObject({ store: 'offline', consistent: true, rowsChecked: 20, mismatchedRows: 0, staleDateRows: 20 });
  });

  it('reports what the history missed: a changed value, an entity without history, a deleted entity still in it', async () => {
    const w = world();
    w.kyc.set('3', 0); // changed in the source after the history's row
    w.history.delete('7'); // never written
    w.kyc.delete('9'); // deleted from the source
    const report = await checkOfflineParity({ catalog: bnplCatalog, source: w.source, offline: w.offline, now: () => NOW }, { ...options, ids: ['3', '7', '9'] });
    expect(report).toMatchObject({ store: 'offline', consistent: false, mismatchedRows: 2, missingOnline: 1, orphanedOnline: 1, byFeature: { 'customer_profile:kyc_level': 1 } });
    expect(report.samples.map((s) => [s.entityId, s.kind])).toEqual([
      ['3', 'value'],
      ['7', 'missing-online'],
      ['9', 'orphaned-online'],
    ]);
  });

  it('compares money by currency and amount, and reads in calls of at most 10,000 ids', async () => {
    const exposureRow = { active_plans_count: 1, outstanding_balance: money(100, 'EUR'), overdue_balance: money(0, 'EUR'), credit_limit: money(5, 'EUR'), utilization: 20 };
    const source: SourceFeatureReader = {
      readView: async (_v, ids) => ids.map(() => exposureRow),
      readViewRange: async (_v, from, to) => Array.from({ length: Number(to) - Number(from) + 1 }, (_, i) => ({ entityId: String(Number(from) + i), features: exposureRow })),
    };
    const reads: number[] = [];
    const offline: Pick<OfflineStore, 'readLatestRows'> = {
      readLatestRows: async (_v, ids) => (reads.push(ids.length), ids.map((id) => ({ eventTime: NOW, values: id === '5' ? { ...exposureRow, outstanding_balance: money(100, 'SEK') } : exposureRow }))),
    };
    const report = await checkOfflineParity({ catalog: bnplCatalog, source, offline, now: () => NOW }, { entity: 'customer', views: ['customer_exposure'], fromId: '1', toId: '25000', chunkSize: 25_000 });
    expect(reads).toEqual([10_000, 10_000, 5_000]);
    expect(report).toMatchObject({ mismatchedRows: 1, byFeature: { 'customer_exposure:outstanding_balance': 1 } });
  });
});
