import {
  compareEntityIds,
  assertEntityId,
  type Catalog,
  type EntityFeatureRow,
  type FeatureView,
  type SourceFeatureReader,
} from '@bnpl/feature-definitions';
import type { OnlineRow, OnlineStore } from '@bnpl/online-store';
import type { FeatureHistorySink } from '../ports/feature-history-sink.port';

export interface MaterializeRangeOptions {
  /** Stored views of one entity (e.g. every customer view): they share the id range. */
  readonly views: readonly string[];
  /** Inclusive range of entity ids. */
  readonly fromId: string;
  readonly toId: string;
  /** The instant the values are computed as of; their event time in the online store. */
  readonly asOf: Date;
  /**
   * The event time of the history rows: `as-of` (default: a backfill's instant, whose values the source
   * was read as of) or `read`: the moment each chunk's source reads started. A materialization reads the
   * current state, which may include changes committed after `asOf` (the job's planning instant), so its
   * history is dated when it was read rather than when the job was planned: a training set never sees a
   * value before the instant it held. Reads run as of that moment's UTC date, so windows match the date.
   */
  readonly historyTime?: 'as-of' | 'read';
  /** For `historyTime: 'read'`. Default: the system clock. */
  readonly clock?: () => Date;
  /** Ids per source query (per view). Default 5 000. */
  readonly chunkSize?: number;
  /** Chunks in flight at once: reads of the next chunks overlap writes of the previous. Default 3. */
  readonly concurrency?: number;
  /** Resume after this id (the last checkpoint): ids <= it are not read again. */
  readonly resumeAfter?: string;
  readonly signal?: AbortSignal;
  /**
   * Incremental runs: picks the ids of a chunk to compute (e.g. those changed since a watermark); they are
   * read by id instead of by range. Default: every entity of the chunk.
   */
  readonly select?: (fromId: string, toId: string) => Promise<readonly string[]>;
  /**
   * Called in id order after every chunk is durable in the online store (and the history sink), with the
   * highest id such that every id up to it is done: persist it as the shard's checkpoint.
   */
  readonly onCheckpoint?: (progress: RangeProgress) => Promise<void> | void;
}

export interface RangeProgress {
  /** Every id <= this is written. */
  readonly doneThroughId: string;
  /** Rows (entity x view) written so far by this call. */
  readonly rows: number;
  /** Entities (with at least one row) written so far by this call. */
  readonly entities: number;
}

export interface MaterializeRangeDeps {
  readonly catalog: Catalog;
  readonly source: SourceFeatureReader;
  /** Absent for a backfill: history only. */
  readonly online?: OnlineStore;
  /** The offline store's history; absent for an online-only materialization. */
  readonly history?: FeatureHistorySink;
}

/**
 * Computes `views` for every entity of an id range from the source (the same SQL as the read path's
 * fallback) and writes them to the online store in `if-newer` mode with `asOf` (the job's planning
 * instant) as event time, and to the history sink.
 *
 * Why `if-newer`: the streaming path writes the same rows with the instant it read the source. A chunk
 * read before a streamed change but written after it must not replace the streamed row (it would hold
 * the older value until the entity's next change); with `if-newer` a row the stream wrote after `asOf`
 * is kept and every older one is replaced. A later job has a later `asOf`, so re-materializing after a
 * fix replaces everything the stream has not rewritten since.
 *
 * Memory stays flat: at most `concurrency` chunks of `chunkSize` ids are held at a time, whatever the
 * range. Checkpoints are reported in id order, so a crashed shard resumes after the last reported id and
 * redoes at most `concurrency` chunks (idempotently: rows already written at `asOf` are skipped).
 */
export async function materializeRange(deps: MaterializeRangeDeps, options: MaterializeRangeOptions): Promise<RangeProgress> {
  const views = resolveViews(deps.catalog, options.views);
  assertEntityId(options.fromId);
  assertEntityId(options.toId);
  if (options.resumeAfter !== undefined) assertEntityId(options.resumeAfter);
  const chunkSize = BigInt(options.chunkSize ?? 5_000);
  const concurrency = Math.max(1, options.concurrency ?? 3);
  if (chunkSize < 1n) throw new RangeError('chunkSize must be >= 1');

  const start = options.resumeAfter !== undefined && compareEntityIds(options.resumeAfter, options.fromId) >= 0 ? BigInt(options.resumeAfter) + 1n : BigInt(options.fromId);
  const end = BigInt(options.toId);
  let progress: RangeProgress = { doneThroughId: start > 1n ? String(start - 1n) : '0', rows: 0, entities: 0 };
  if (start > end) return progress;

  let next = start;
  const takeChunk = (): [bigint, bigint] | null => {
    if (next > end) return null;
    const from = next;
    const to = from + chunkSize - 1n < end ? from + chunkSize - 1n : end;
    next = to + 1n;
    return [from, to];
  };

  // Chunks finish out of order; checkpoints advance only over a contiguous prefix.
  const finished = new Map<bigint, { to: bigint; rows: number; entities: number }>();
  let frontier = start;
  let checkpointing: Promise<void> = Promise.resolve();
  const advance = () => {
    for (let done = finished.get(frontier); done; done = finished.get(frontier)) {
      finished.delete(frontier);
      progress = { doneThroughId: String(done.to), rows: progress.rows + done.rows, entities: progress.entities + done.entities };
      frontier = done.to + 1n;
      const snapshot = progress;
      if (options.onCheckpoint) checkpointing = checkpointing.then(() => options.onCheckpoint?.(snapshot));
    }
  };

  const worker = async () => {
    for (let chunk = takeChunk(); chunk; chunk = takeChunk()) {
      options.signal?.throwIfAborted();
      const [from, to] = chunk;
      const { rows, entities } = await materializeChunk(deps, views, String(from), String(to), options);
      finished.set(from, { to, rows, entities });
      advance();
      await checkpointing;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  await checkpointing;
  return progress;
}

async function materializeChunk(
  deps: MaterializeRangeDeps,
  views: readonly FeatureView[],
  from: string,
  to: string,
  { asOf, select, historyTime = 'as-of', clock = () => new Date() }: MaterializeRangeOptions,
): Promise<{ rows: number; entities: number }> {
  // Taken before the reads: every change they see was committed before the reads ended, and the rows
  // dated here are superseded by any later row, so a change committed meanwhile is never dated too early
  // by more than the time it takes a statement to take its snapshot.
  const readAt = historyTime === 'read' ? clock() : asOf;
  const perView = await readChunk(deps.source, views, from, to, asOf, select);
  const online: OnlineRow[] = [];
  const entities = new Set<string>();
  views.forEach((view, i) => {
    for (const row of perView[i]) {
      entities.add(row.entityId);
      online.push({ key: { entity: view.entity.name, id: row.entityId }, view: view.name, values: row.features, eventTime: asOf });
    }
  });
  if (online.length === 0) return { rows: 0, entities: 0 };
  // Values as of the job's date answer for a read on another UTC date (a job across midnight) only
  // outside windows and ages: read the history's values again as of the read's own date.
  const history = deps.history && utcDay(readAt) !== utcDay(asOf) ? await readChunk(deps.source, views, from, to, readAt, select) : perView;
  await Promise.all([
    deps.online?.write(online, { mode: 'if-newer' }),
    ...(deps.history ? views.map((view, i) => deps.history?.writeFeatureRows(view.name, history[i].map((r) => ({ entityId: r.entityId, eventTime: readAt, values: r.features })))) : []),
  ]);
  return { rows: online.length, entities: entities.size };
}

const utcDay = (t: Date) => Math.floor(t.getTime() / 86_400_000);

async function readChunk(
  source: SourceFeatureReader,
  views: readonly FeatureView[],
  from: string,
  to: string,
  asOf: Date,
  select: MaterializeRangeOptions['select'],
): Promise<EntityFeatureRow[][]> {
  if (!select) {
    // One read for all the views where the source offers it: each source table scanned once per chunk.
    if (views.length > 1 && source.readViewsRange) return source.readViewsRange(views.map((v) => v.name), from, to, asOf);
    return Promise.all(views.map((v) => source.readViewRange(v.name, from, to, asOf)));
  }
  const ids = await select(from, to);
  if (ids.length === 0) return views.map(() => []);
  return Promise.all(
    views.map(async (v) => {
      const rows = await source.readView(v.name, ids, asOf);
      const out: EntityFeatureRow[] = [];
      rows.forEach((features, i) => features && out.push({ entityId: ids[i], features }));
      return out;
    }),
  );
}

function resolveViews(catalog: Catalog, names: readonly string[]): FeatureView[] {
  if (names.length === 0) throw new RangeError('materializeRange: no views');
  const views = names.map((n) => catalog.getView(n));
  const entity = views[0].entity.name;
  const other = views.find((v) => v.entity.name !== entity);
  if (other) throw new RangeError(`materializeRange: views of one entity only (${views[0].name} is ${entity}, ${other.name} is ${other.entity.name})`);
  return views;
}
