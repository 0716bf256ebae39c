import type { Catalog } from '@bnpl/feature-definitions';
import type { JobSpec, ShardSpec } from './job.model';

const DAY_MS = 86_400_000;

export interface PlanningFacts {
  readonly now: Date;
  maxEntityId(entity: string): Promise<string>;
  watermark(view: string): Promise<Date | null>;
}

/**
 * Splits a job into shards: per entity of its views, ranges of `shardSize` ids up to the entity's highest
 * id; a backfill repeats that for the end of every day of its range. The plan is computed once and
 * stored, so its as-of instants do not move when the planning message is redelivered.
 */
export async function planShards(catalog: Catalog, spec: JobSpec, facts: PlanningFacts): Promise<ShardSpec[]> {
  // A training set is one unit of work: the offline store joins the whole entity file at once.
  if (spec.kind === 'historical') return [{ no: 0, entity: 'training_set', views: spec.views, fromId: '1', toId: '1', asOf: facts.now, changedSince: null, writeOnline: false }];
  const byEntity = new Map<string, string[]>();
  for (const name of spec.views) {
    const entity = catalog.getView(name).entity.name;
    byEntity.set(entity, [...(byEntity.get(entity) ?? []), name]);
  }
  const instants: Array<{ asOf: Date; writeOnline: boolean }> =
    spec.kind === 'materialize' ? [{ asOf: facts.now, writeOnline: true }] : daysOf(spec).map((day) => ({ asOf: new Date(day.getTime() + DAY_MS - 1), writeOnline: false }));

  const shards: ShardSpec[] = [];
  for (const [entity, views] of byEntity) {
    const maxId = BigInt(await facts.maxEntityId(entity));
    // Incremental: entities changed since the oldest of the views' watermarks; a view never materialized
    // makes the whole run full for its entity.
    let changedSince: Date | null = null;
    if (spec.incremental) {
      const marks = await Promise.all(views.map((v) => facts.watermark(v)));
      changedSince = marks.some((m) => m === null) ? null : new Date(Math.min(...marks.map((m) => (m as Date).getTime())));
    }
    const size = BigInt(spec.shardSize);
    for (const { asOf, writeOnline } of instants) {
      for (let from = 1n; from <= maxId; from += size) {
        const to = from + size - 1n < maxId ? from + size - 1n : maxId;
        shards.push({ no: shards.length, entity, views, fromId: String(from), toId: String(to), asOf, changedSince, writeOnline });
      }
    }
  }
  return shards;
}

function daysOf(spec: JobSpec): Date[] {
  if (!spec.from || !spec.to) return [];
  const days: Date[] = [];
  for (let t = spec.from.getTime(); t <= spec.to.getTime(); t += DAY_MS) days.push(new Date(t));
  return days;
}
