import { bnplCatalog } from '@bnpl/feature-definitions';
import { DuckDBOfflineStore } from './duckdb-offline-store';

const t = (iso: string) => new Date(iso);

describe('DuckDBOfflineStore.readLatestRows (real DuckDB)', () => {
  let store: DuckDBOfflineStore;
  beforeAll(async () => {
    store = await DuckDBOfflineStore.open({ path: ':memory:', catalog: bnplCatalog });
  });
  afterAll(async () => store?.close());

  it('returns each entity\'s latest row (the later written of one instant), in order, null without history', async () => {
    await store.writeFeatureRows('customer_exposure', [
      { entityId: '1', eventTime: t('2025-03-01T10:00:00Z'), values: { active_plans_count: 1, outstanding_balance: { amountMinor: 500, currency: 'EUR' }, utilization: 0.5 } },
      { entityId: '1', eventTime: t('2025-03-02T10:00:00Z'), values: { active_plans_count: 2, outstanding_balance: { amountMinor: 900, currency: 'EUR' } }, createdAt: t('2025-03-02T10:00:01Z') },
      { entityId: '9007199254740993', eventTime: t('2025-02-01T00:00:00Z'), values: { credit_limit: { amountMinor: 100, currency: 'SEK' } } },
    ]);
    // A later read of the same instant replaces it; an earlier one does not.
    await store.writeFeatureRows('customer_exposure', [{ entityId: '1', eventTime: t('2025-03-02T10:00:00Z'), values: { active_plans_count: 3 }, createdAt: t('2025-03-02T10:00:02Z') }]);
    await store.writeFeatureRows('customer_exposure', [{ entityId: '1', eventTime: t('2025-03-02T10:00:00Z'), values: { active_plans_count: 9 }, createdAt: t('2025-03-02T10:00:00Z') }]);
    expect(await store.readLatestRows('customer_exposure', ['404', '1', '9007199254740993', '1'])).toEqual([
      null,
      { eventTime: t('2025-03-02T10:00:00Z'), values: { active_plans_count: 3, outstanding_balance: null, overdue_balance: null, credit_limit: null, utilization: null } },
      { eventTime: t('2025-02-01T00:00:00Z'), values: { active_plans_count: null, outstanding_balance: null, overdue_balance: null, credit_limit: { amountMinor: 100, currency: 'SEK' }, utilization: null } },
      { eventTime: t('2025-03-02T10:00:00Z'), values: { active_plans_count: 3, outstanding_balance: null, overdue_balance: null, credit_limit: null, utilization: null } },
    ]);
  });

  it('checks its input before reading', async () => {
    await expect(store.readLatestRows('customer_nope', ['1'])).rejects.toMatchObject({ reason: 'UNKNOWN_FEATURE_VIEW' });
    await expect(store.readLatestRows('customer_profile', ['1; DROP TABLE x'])).rejects.toMatchObject({ reason: 'INVALID_ENTITY_ID' });
    await expect(store.readLatestRows('customer_profile', Array.from({ length: 10_001 }, (_, i) => String(i + 1)))).rejects.toMatchObject({ reason: 'INVALID_HISTORICAL_REQUEST' });
    expect(await store.readLatestRows('customer_profile', [])).toEqual([]);
  });
});
