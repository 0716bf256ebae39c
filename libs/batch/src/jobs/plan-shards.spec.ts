import { bnplCatalog } from '@bnpl/feature-definitions';
import type { ChangeLogCoverage, IdRange } from './job-ports';
import { validateJobRequest } from './job-request';
import { planShards, type PlanningFacts } from './plan-shards';

const NOW = new Date('2025-03-15T12:00:00Z');
const HOUR = 3_600_000;

/** 10,000 customers with ids up to 5.9 M (sparse, as the demo data's were), cut into ranges the way SQL quantiles do. */
const ids = Array.from({ length: 10_000 }, (_, i) => String(1 + Math.floor((i * i) / 17)));
function ranges(of: readonly string[], size: number): IdRange[] {
  const out: IdRange[] = [];
  for (let i = 0; i < of.length; i += size) out.push({ fromId: of[i], toId: of[Math.min(i + size, of.length) - 1] });
  return out;
}

function facts(over: { coverage?: ChangeLogCoverage | null; watermark?: Date | null; changed?: readonly string[] } = {}): PlanningFacts & { since: Date[] } {
  const since: Date[] = [];
  return {
    now: NOW,
    since,
    idRanges: async (entity, size) => ranges(entity === 'customer' ? ids : ['1', '2', '3'], size),
    watermark: async () => (over.watermark === undefined ? new Date(NOW.getTime() - HOUR) : over.watermark),
    changeLogCoverage: async () => (over.coverage === undefined ? { since: new Date(NOW.getTime() - 24 * HOUR), through: new Date(NOW.getTime() - 1_000) } : over.coverage),
    changedIdRanges: async (_e, _v, from, size) => (since.push(from), ranges(over.changed ?? [], size)),
  };
}
const spec = (request: Parameters<typeof validateJobRequest>[1]) => validateJobRequest(bnplCatalog, request, NOW);

describe('planShards', () => {
  it('cuts shards over the ids that exist, however sparse: 10,000 customers in shards of 1,000 make 10 shards', async () => {
    expect(Number(ids[ids.length - 1])).toBeGreaterThan(5_800_000);
    const shards = await planShards(bnplCatalog, spec({ kind: 'materialize', views: ['customer_profile'], shardSize: 1_000 }), facts());
    expect(shards).toHaveLength(10);
    expect(shards[0]).toMatchObject({ no: 0, fromId: '1', entity: 'customer', asOf: NOW, changedSince: null, writeOnline: true, watermarkTo: NOW });
    expect(shards.at(-1)?.toId).toBe(ids[ids.length - 1]);
  });

  it('repeats the ranges for the end of every day of a backfill, history only', async () => {
    const shards = await planShards(bnplCatalog, spec({ kind: 'backfill', views: ['customer_repayment'], from: '2025-03-10', to: '2025-03-11', shardSize: 5_000 }), facts());
    expect(shards.map((s) => [s.asOf.toISOString(), s.fromId, s.writeOnline, s.watermarkTo])).toEqual([
      ['2025-03-10T23:59:59.999Z', '1', false, null],
      ['2025-03-10T23:59:59.999Z', ids[5_000], false, null],
      ['2025-03-11T23:59:59.999Z', '1', false, null],
      ['2025-03-11T23:59:59.999Z', ids[5_000], false, null],
    ]);
  });

  it('shards an incremental run over the changed ids from the oldest watermark, its watermark where the log is complete', async () => {
    const f = facts({ changed: ['5', '77', '4000000'] });
    const shards = await planShards(bnplCatalog, spec({ kind: 'materialize', incremental: true, views: ['customer_profile', 'customer_exposure'], shardSize: 2 }), f);
    expect(shards.map((s) => [s.fromId, s.toId])).toEqual([
      ['5', '77'],
      ['4000000', '4000000'],
    ]);
    expect(f.since).toEqual([new Date(NOW.getTime() - HOUR)]);
    expect(shards[0]).toMatchObject({ changedSince: new Date(NOW.getTime() - HOUR), watermarkTo: new Date(NOW.getTime() - 1_000) });
  });

  it.each([
    ['there is no change log', { coverage: null }],
    ['the log starts after the watermark (a gap the stream did not record)', { coverage: { since: new Date(NOW.getTime() - HOUR / 2), through: NOW } }],
    ['a view was never materialized', { watermark: null }],
  ])('runs an incremental job in full when %s', async (_why, over) => {
    const shards = await planShards(bnplCatalog, spec({ kind: 'materialize', incremental: true, views: ['customer_profile'], shardSize: 1_000 }), facts(over));
    expect(shards).toHaveLength(10);
    expect(shards.every((s) => s.changedSince === null && s.watermarkTo === NOW)).toBe(true);
  });
});
