import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { bnplCatalog } from '@bnpl/feature-definitions';
import { DecisionStoreUnavailableError, batchOf, describeDecisionStoreContract, sampleChain, verifyDecisions } from '@bnpl/decision-records';
import { DuckDBDecisionStore } from './duckdb-decision-store';
import { DuckDBOfflineStore } from './duckdb-offline-store';

describeDecisionStoreContract('duckdb', async () => {
  const offline = await DuckDBOfflineStore.open({ path: ':memory:', catalog: bnplCatalog });
  const store = await DuckDBDecisionStore.over(offline);
  return { store, dispose: () => offline.close() };
});

describe('DuckDBDecisionStore', () => {
  const dir = mkdtempSync(join(tmpdir(), 'decision-store-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps its tables in the offline store\'s file; a record edited there with SQL is named by verify', async () => {
    const path = join(dir, 'offline.duckdb');
    const offline = await DuckDBOfflineStore.open({ path, catalog: bnplCatalog });
    const store = await DuckDBDecisionStore.over(offline);
    const records = sampleChain('rest-gateway:20261201T100000Z:0123456789ab', 5);
    await store.append(batchOf(records, { closed: true }));
    await offline.close();

    // What someone with write access to the file might do: change a served value in place.
    const instance = await DuckDBInstance.create(path);
    const c = await instance.connect();
    await c.run(`UPDATE decisions.records SET body = replace(body, '[2,"P"', '[1,"P"') WHERE sequence = 3`);
    c.closeSync();
    instance.closeSync();

    const reopened = await DuckDBOfflineStore.open({ path, catalog: bnplCatalog });
    const report = await verifyDecisions(await DuckDBDecisionStore.over(reopened), { from: new Date('2026-12-01T00:00:00Z'), to: new Date('2026-12-02T00:00:00Z') });
    expect(report).toMatchObject({ records: 5, complete: true, untouched: false, edited: 1 });
    expect(report.problems).toEqual([{ decisionId: records[2].decisionId, instanceId: records[2].instanceId, sequence: 3, problem: 'edited', detail: 'its body does not match its hash' }]);
    await reopened.close();
  });

  it('answers DecisionStoreUnavailableError once its database is closed', async () => {
    const offline = await DuckDBOfflineStore.open({ path: ':memory:', catalog: bnplCatalog });
    const store = await DuckDBDecisionStore.over(offline);
    await offline.close();
    await expect(store.find('x')).rejects.toBeInstanceOf(DecisionStoreUnavailableError);
  });
});
