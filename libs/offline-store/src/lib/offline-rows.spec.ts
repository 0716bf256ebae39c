import { batchesOf, checkOfflineRow } from './offline-rows';
import { InvalidOfflineRowError } from './errors/invalid-offline-row.error';
import { testCatalog } from './offline-store.test-catalog';

const exposure = testCatalog.getView('customer_exposure');
const at = new Date('2025-03-01T00:00:00Z');

describe('checkOfflineRow', () => {
  it("orders values as the view's features, absent ones null, and defaults createdAt to the call's start", () => {
    const row = checkOfflineRow(exposure, { entityId: '7', eventTime: at, values: { utilization: 0.5, credit_limit: { amountMinor: 100, currency: 'GBP' } } }, 0, 123);
    expect(row).toEqual({ entityId: '7', eventTimeMs: at.getTime(), createdAtMs: 123, values: [null, null, null, { amountMinor: 100, currency: 'GBP' }, 0.5] });
    expect(checkOfflineRow(exposure, { entityId: '7', eventTime: at, values: {}, createdAt: new Date(5) }, 0, 123).createdAtMs).toBe(5);
  });

  it.each([
    [{ entityId: '0' }, 'entityId "0" (string) is not a canonical customer id'],
    [{ eventTime: new Date('0000-06-01T00:00:00Z') }, 'eventTime 0000-06-01T00:00:00.000Z is not a Date between years 1 and 9999'],
    [{ eventTime: 0 }, 'eventTime 0 (number) is not a Date'],
    [{ values: { active_plans_count: Number.MAX_SAFE_INTEGER + 1 } }, 'feature "active_plans_count" must be INT64 or null'],
    [{ values: { utilization: Number.POSITIVE_INFINITY } }, 'feature "utilization" must be DOUBLE or null'],
    [{ values: { credit_limit: { amountMinor: 1 } } }, 'feature "credit_limit" must be MONEY or null'],
    [{ values: { kyc_level: 1 } }, 'unknown feature "kyc_level"'],
  ])('rejects %j', (change, message) => {
    const row = { entityId: '7', eventTime: at, values: {}, ...change } as Parameters<typeof checkOfflineRow>[1];
    expect(() => checkOfflineRow(exposure, row, 4, 0)).toThrow(InvalidOfflineRowError);
    expect(() => checkOfflineRow(exposure, row, 4, 0)).toThrow(`Invalid row 4 for feature view "customer_exposure": ${message}`);
  });
});

describe('batchesOf', () => {
  it('yields an array as one batch and an async iterable batch by batch', async () => {
    const collect = async <T>(it: AsyncIterable<T>) => {
      const out: T[] = [];
      for await (const x of it) out.push(x);
      return out;
    };
    expect(await collect(batchesOf([1, 2]))).toEqual([[1, 2]]);
    expect(await collect(batchesOf((async function* () { yield [1]; yield [2, 3]; })()))).toEqual([[1], [2, 3]]);
  });
});
