import type { Catalog } from '@bnpl/feature-definitions';
import type { ChangeLogCoverage, IdRange } from './job-ports';
import type { JobSpec, ShardSpec } from './job.model';

const DAY_MS = 86_400_000;

export interface PlanningFacts {
  readonly now: Date;
  /** Ranges over the entity's existing ids, `shardSize` ids each (see `SourceStats.idRanges`). */
  idRanges(entity: string, shardSize: number): Promise<IdRange[]>;
  watermark(view: string): Promise<Date | null>;
  changeLogCoverage(): Promise<ChangeLogCoverage | null>;
  /** Ranges over the ids changed since `since` (see `SourceStats.changedIdRanges`). */
  changedIdRanges(entity: string, views: readonly string[], since: Date, shardSize: number): Promise<IdRange[]>;
}

/**
 * Splits a job into shards: per entity of its views, ranges of `shardSize` existing ids (so a job over N
 * entities has about N / shardSize shards whatever the gaps between ids); a backfill repeats that for the
 * end of every day of its range. An incremental materialization shards the ids the change log records as
 * changed since the views' oldest watermark, and falls back to a full run for an entity when a view was
 * never materialized or the log does not reach back to that watermark. The plan is computed once and
 * stored, so its as-of instants do not move when the planning message is redelivered.
 */
export async function planShards(catalog: Catalog, spec: JobSpec, facts: PlanningFacts): Promise<ShardSpec[]> {
  // A training set is one unit of work: the offline store joins the whole entity file at once.
  if (spec.kind === 'historical') {
    return [{ no: 0, entity: 'training_set', views: spec.views, fromId: '1', toId: '1', asOf: facts.now, changedSince: null, writeOnline: false, watermarkTo: null }];
  }
  const byEntity = new Map<string, string[]>();
  for (const name of spec.views) {
    const entity = catalog.getView(name).entity.name;
    byEntity.set(entity, [...(byEntity.get(entity) ?? []), name]);
  }
  const coverage = spec.incremental ? await facts.changeLogCoverage() : null;

  const shards: ShardSpec[] = [];
  for (const [entity, views] of byEntity) {
    if (spec.kind === 'backfill') {
      const ranges = await facts.idRanges(entity, spec.shardSize);
      for (const day of daysOf(spec)) {
        const asOf = new Date(day.getTime() + DAY_MS - 1);
        for (const r of ranges) shards.push({ no: shards.length, entity, views, ...r, asOf, changedSince: null, writeOnline: false, watermarkTo: null });
      }
      continue;
    }
    const since = await incrementalSince(views, facts, coverage);
    const ranges = since ? await facts.changedIdRanges(entity, views, since, spec.shardSize) : await facts.idRanges(entity, spec.shardSize);
    // A run covers every change up to its as-of instant (full), or up to where the log is complete
    // (incremental: a change the stream has not recorded yet is left to the next run).
    const watermarkTo = since && coverage ? new Date(Math.min(facts.now.getTime(), coverage.through.getTime())) : facts.now;
    for (const r of ranges) shards.push({ no: shards.length, entity, views, ...r, asOf: facts.now, changedSince: since, writeOnline: true, watermarkTo });
  }
  return shards;
}

/** Where an incremental run of `views` starts: their oldest watermark, when the change log covers it. */
async function incrementalSince(views: readonly string[], facts: PlanningFacts, coverage: ChangeLogCoverage | null): Promise<Date | null> {
  if (!coverage) return null;
  const marks = await Promise.all(views.map((v) => facts.watermark(v)));
  if (marks.some((m) => m === null)) return null;
  const since = Math.min(...marks.map((m) => (m as Date).getTime()));
  return since >= coverage.since.getTime() ? new Date(since) : null;
}

function daysOf(spec: JobSpec): Date[] {
  if (!spec.from || !spec.to) return [];
  const days: Date[] = [];
  for (let t = spec.from.getTime(); t <= spec.to.getTime(); t += DAY_MS) days.push(new Date(t));
  return days;
}
