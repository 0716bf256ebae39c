import { bnplCatalog } from '../catalog/bnpl-catalog';
import { bnplSources } from '../catalog/sources';
import { sourceColumnsRead } from './source-columns';

describe('sourceColumnsRead (what the change stream publishes)', () => {
  const read = sourceColumnsRead(bnplCatalog);

  it('names every table a view reads, with its keys, window times and read columns', () => {
    expect([...read.keys()].sort()).toEqual(['customers', 'installments', 'merchants', 'orders', 'payments']);
    expect(read.get('orders')).toEqual(expect.arrayContaining(['customer_id', 'merchant_id', 'created_at', 'amount_minor', 'status']));
    expect(read.get('installments')).toEqual(expect.arrayContaining(['customer_id', 'due_date']));
    expect(read.get('payments')).toEqual(expect.arrayContaining(['customer_id', 'attempted_at']));
    expect(read.get('customers')).toEqual(expect.arrayContaining(['id', 'kyc_level', 'credit_limit_minor', 'currency']));
    for (const columns of read.values()) expect(columns).toEqual([...columns].sort());
  });

  it('never names a private column (the customers\' e-mail, name, date of birth)', () => {
    const all = [...read.values()].flat();
    const privateColumns = bnplSources.flatMap((source) => ((source as { privateColumns?: readonly string[] }).privateColumns ?? []) as string[]);
    expect(privateColumns).toEqual(['email', 'full_name', 'date_of_birth']);
    for (const column of privateColumns) expect(all).not.toContain(column);
    expect(all).not.toEqual(expect.arrayContaining([expect.stringMatching(/^(email|full_name|date_of_birth)$/)]));
  });

  it('names only columns the sources declare', () => {
    for (const [table, columns] of read) {
      const source = bnplSources.find((s) => s.name === table);
      for (const column of columns) expect(Object.keys(source?.columns ?? {})).toContain(column);
    }
  });
});
