import { bnplCatalog, InvalidAsOfError, InvalidEntityIdError, UnknownFeatureViewError } from '@bnpl/feature-definitions';
import { PostgresSourceFeatureReader, type SqlQueryFn } from './postgres-source-feature-reader';

const AS_OF = new Date('2025-03-15T10:00:00Z');

function fakeQuery(rows: Record<string, unknown>[]) {
  const calls: Array<{ sql: string; params: unknown[] }> = [];
  const fn: SqlQueryFn = async (sql, params) => {
    calls.push({ sql, params });
    return rows;
  };
  return { fn, calls };
}

const profileRow = (id: string) => ({
  __entity_id: id,
  __currency: 'EUR',
  account_age_days: '12',
  kyc_level: '2',
  country: 'DE',
  account_status: 'active',
});

describe('PostgresSourceFeatureReader (fake query)', () => {
  it('returns rows in request order, null for unknown ids, equal rows for repeated ids, one query with unique ids', async () => {
    const { fn, calls } = fakeQuery([profileRow('7'), profileRow('3')]);
    const reader = new PostgresSourceFeatureReader(bnplCatalog, fn);
    const rows = await reader.readView('customer_profile', ['3', '99', '7', '3'], AS_OF);
    expect(rows).toEqual([
      { account_age_days: 12, kyc_level: 2, country: 'DE', account_status: 'active' },
      null,
      { account_age_days: 12, kyc_level: 2, country: 'DE', account_status: 'active' },
      { account_age_days: 12, kyc_level: 2, country: 'DE', account_status: 'active' },
    ]);
    expect(calls).toHaveLength(1);
    expect(calls[0].params).toEqual([AS_OF, ['3', '99', '7']]);
  });

  it('decodes MONEY with the entity currency, DOUBLE and NULL', async () => {
    const { fn } = fakeQuery([
      { __entity_id: '1', __currency: 'GBP', active_plans_count: '1', outstanding_balance: '5000', overdue_balance: '0', credit_limit: '0', utilization: null },
    ]);
    const reader = new PostgresSourceFeatureReader(bnplCatalog, fn);
    expect(await reader.readView('customer_exposure', ['1'], AS_OF)).toEqual([
      {
        active_plans_count: 1,
        outstanding_balance: { amountMinor: 5000, currency: 'GBP' },
        overdue_balance: { amountMinor: 0, currency: 'GBP' },
        credit_limit: { amountMinor: 0, currency: 'GBP' },
        utilization: null,
      },
    ]);
  });

  it('rejects integers beyond 2^53 instead of rounding them', async () => {
    const { fn } = fakeQuery([{ ...profileRow('1'), kyc_level: '9007199254740993' }]);
    await expect(new PostgresSourceFeatureReader(bnplCatalog, fn).readView('customer_profile', ['1'], AS_OF)).rejects.toMatchObject({
      reason: 'VALUE_OUT_OF_RANGE',
      message: expect.stringContaining('customer_profile:kyc_level of 1: '),
    });
  });

  it('names the view, feature and entity of a value of the wrong shape', async () => {
    const { fn } = fakeQuery([{ ...profileRow('7'), country: 42 }]);
    await expect(new PostgresSourceFeatureReader(bnplCatalog, fn).readView('customer_profile', ['7'], AS_OF)).rejects.toMatchObject({
      reason: 'INVALID_SOURCE_VALUE',
      message: expect.stringMatching(/^customer_profile:country of 7: .*not a STRING$/),
    });
  });

  it('validates before any I/O', async () => {
    const { fn, calls } = fakeQuery([]);
    const reader = new PostgresSourceFeatureReader(bnplCatalog, fn);
    await expect(reader.readView('customer_profile', ['1', '01'], AS_OF)).rejects.toBeInstanceOf(InvalidEntityIdError);
    await expect(reader.readView('customer_profile', ['9223372036854775808'], AS_OF)).rejects.toBeInstanceOf(InvalidEntityIdError);
    await expect(reader.readView('customer_profile', ['1'], new Date(Number.NaN))).rejects.toBeInstanceOf(InvalidAsOfError);
    await expect(reader.readView('nope', ['1'], AS_OF)).rejects.toBeInstanceOf(UnknownFeatureViewError);
    await expect(reader.readView('credit_request', ['1'], AS_OF)).rejects.toBeInstanceOf(UnknownFeatureViewError);
    expect(await reader.readView('customer_profile', [], AS_OF)).toEqual([]);
    expect(await reader.readViewRange('customer_profile', '10', '9', AS_OF)).toEqual([]);
    expect(calls).toHaveLength(0);
  });

  it('reads ranges with the inclusive bounds and caches compiled SQL', async () => {
    const { fn, calls } = fakeQuery([profileRow('10'), profileRow('12')]);
    const reader = new PostgresSourceFeatureReader(bnplCatalog, fn);
    const rows = await reader.readViewRange('customer_profile', '9', '12', AS_OF);
    expect(rows.map((r) => r.entityId)).toEqual(['10', '12']);
    await reader.readViewRange('customer_profile', '9', '12', AS_OF);
    expect(calls[0].params).toEqual([AS_OF, '9', '12']);
    expect(calls[1].sql).toBe(calls[0].sql);
  });
});
