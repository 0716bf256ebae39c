import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bnplCatalog } from '@bnpl/feature-definitions';
import { featureHistorySchemas, renderSchemas } from './feature-history-schema';
import { DEPLOY_TERRAFORM } from './testing/deploy-tree';

describe('feature-history table schemas', () => {
  it('deploy/terraform/schemas/feature-history.json is the catalog as it is (run `npx nx write-schemas deploy-checks` after changing it)', () => {
    const committed = readFileSync(join(DEPLOY_TERRAFORM, 'schemas/feature-history.json'), 'utf8');
    expect(committed).toBe(renderSchemas(featureHistorySchemas(bnplCatalog)));
  });

  it('has a table per stored view, keyed and partitioned as the offline store writes it', () => {
    const tables = featureHistorySchemas(bnplCatalog);
    expect(Object.keys(tables)).toEqual(bnplCatalog.views.map((v) => v.name));
    for (const fields of Object.values(tables)) {
      expect(fields.slice(0, 3).map((f) => [f.name, f.type, f.mode])).toEqual([
        ['entity_id', 'INT64', 'REQUIRED'],
        ['event_timestamp', 'TIMESTAMP', 'REQUIRED'],
        ['created_at', 'TIMESTAMP', 'NULLABLE'],
      ]);
    }
  });

  it('stores a MONEY feature as amount in minor units and currency, a DOUBLE as FLOAT64', () => {
    const exposure = featureHistorySchemas(bnplCatalog)['customer_exposure'].map((f) => `${f.name}:${f.type}`);
    expect(exposure).toEqual(expect.arrayContaining(['outstanding_balance__amount_minor:INT64', 'outstanding_balance__currency:STRING', 'utilization:FLOAT64']));
    expect(exposure.filter((c) => c.startsWith('outstanding_balance:'))).toEqual([]);
  });

  it('gives the decision records the columns they are partitioned and clustered by', () => {
    const fields = JSON.parse(readFileSync(join(DEPLOY_TERRAFORM, 'schemas/decision-records.json'), 'utf8')) as Array<{ name: string; type: string; mode: string }>;
    expect(fields.find((f) => f.name === 'decided_at')).toMatchObject({ type: 'TIMESTAMP', mode: 'REQUIRED' });
    expect(fields.find((f) => f.name === 'customer_id')).toMatchObject({ type: 'INT64', mode: 'REQUIRED' });
    expect(fields.find((f) => f.name === 'merchant_id')).toMatchObject({ type: 'INT64' });
    expect(new Set(fields.map((f) => f.name)).size).toBe(fields.length);
  });
});
