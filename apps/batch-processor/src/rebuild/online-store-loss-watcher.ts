import type { JobRequest } from '@bnpl/batch';
import type { GenerationMarker } from './generation-marker';

/** The online store's generation as PostgreSQL remembers it. */
export interface GenerationRecord {
  readonly generation: number;
  readonly startedAt: Date;
  readonly rebuildJobId: string | null;
}

/** Where the expected generation is kept (PostgreSQL): it outlives the online store. */
export interface GenerationRepository {
  current(): Promise<GenerationRecord | null>;
  /** Records generation 1 (a first population) unless a generation exists; returns the current one. */
  initialize(startedAt: Date): Promise<GenerationRecord>;
  /** Moves from `generation` to the next one; null when another instance moved first (it rebuilds). */
  claimNext(generation: number, startedAt: Date): Promise<GenerationRecord | null>;
  recordRebuild(generation: number, jobId: string): Promise<void>;
}

export interface RebuildJobs {
  submit(request: JobRequest, options?: { idempotencyKey?: string }): Promise<{ readonly id: string }>;
}

export interface WatcherLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** What one check found. */
export type CheckOutcome =
  /** The marker is there: the store holds its data. */
  | 'intact'
  /** No generation was known: this is the store's first population; the marker is written, nothing rebuilt. */
  | 'initialized'
  /** The marker is gone while PostgreSQL knows a generation: a rebuild was started. */
  | 'rebuild-started'
  /** The marker is gone but another instance claimed the rebuild first. */
  | 'rebuild-claimed-elsewhere'
  /** The store or PostgreSQL did not answer: nothing can be told. */
  | 'unknown';

export interface LossWatcherStats {
  readonly checks: number;
  readonly rebuilds: number;
  readonly generation: number;
  readonly lastOutcome: CheckOutcome | null;
}

/** A full materialization: every stored view of the catalog, from the source, into the online store. */
export const REBUILD_REQUEST: JobRequest = { kind: 'materialize' };

/**
 * Notices that the online store lost its data and rebuilds it, once: the store keeps a generation marker
 * (GenerationMarker) that goes wherever its data goes, PostgreSQL remembers which generation it should hold.
 * A check finding the store answering without its marker claims the next generation in PostgreSQL (one
 * instance wins), submits a full materialization and writes the new marker; reads fall back to
 * PostgreSQL (and refill the store) meanwhile. A failed submission leaves the marker missing, so the next
 * check tries again.
 */
export class OnlineStoreLossWatcher {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<CheckOutcome> | null = null;
  #stats: { checks: number; rebuilds: number; generation: number; lastOutcome: CheckOutcome | null } = { checks: 0, rebuilds: 0, generation: 0, lastOutcome: null };

  constructor(
    private readonly deps: { marker: GenerationMarker; generations: GenerationRepository; jobs: RebuildJobs; logger: WatcherLogger; clock?: () => Date },
  ) {}

  /** Checks every `intervalMs` (the first check at once). */
  start(intervalMs: number): void {
    void this.check();
    this.#timer = setInterval(() => void this.check(), intervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
  }

  stats(): LossWatcherStats {
    return { ...this.#stats };
  }

  /** One check (a check already running is joined, not doubled). */
  check(): Promise<CheckOutcome> {
    this.#running ??= this.#check().finally(() => (this.#running = null));
    return this.#running;
  }

  async #check(): Promise<CheckOutcome> {
    this.#stats.checks++;
    const outcome = await this.#inspect().catch((error: unknown) => {
      this.deps.logger.error(`online store generation check failed: ${(error as Error).message}`);
      return 'unknown' as const;
    });
    if (outcome !== this.#stats.lastOutcome && outcome === 'intact' && this.#stats.lastOutcome !== null) this.deps.logger.log(`online store generation ${this.#stats.generation} is in place`);
    this.#stats.lastOutcome = outcome;
    return outcome;
  }

  async #inspect(): Promise<CheckOutcome> {
    const now = this.deps.clock?.() ?? new Date();
    let marker: Date | null;
    try {
      marker = await this.deps.marker.read();
    } catch {
      return 'unknown'; // the store is down: its readiness says so; whether it kept its data shows when it returns
    }
    if (marker) {
      if (this.#stats.generation === 0) this.#stats.generation = (await this.deps.generations.current())?.generation ?? 0;
      return 'intact';
    }
    const known = await this.deps.generations.current();
    if (!known) {
      const first = await this.deps.generations.initialize(now);
      await this.deps.marker.write(first.startedAt);
      this.#stats.generation = first.generation;
      this.deps.logger.log(`online store generation ${first.generation} recorded (first population: nothing to rebuild)`);
      return 'initialized';
    }
    const next = await this.deps.generations.claimNext(known.generation, now);
    if (!next) return 'rebuild-claimed-elsewhere';
    this.deps.logger.warn(
      `online store lost its data (its generation marker is gone; PostgreSQL expects generation ${known.generation}): rebuilding it as generation ${next.generation} from PostgreSQL; reads fall back to PostgreSQL meanwhile`,
    );
    const job = await this.deps.jobs.submit(REBUILD_REQUEST, { idempotencyKey: `online-store-rebuild-${next.generation}` });
    await this.deps.generations.recordRebuild(next.generation, job.id);
    await this.deps.marker.write(next.startedAt);
    this.#stats.generation = next.generation;
    this.#stats.rebuilds++;
    this.deps.logger.warn(`online store rebuild started: job ${job.id} materializes every stored view (generation ${next.generation})`);
    return 'rebuild-started';
  }
}
