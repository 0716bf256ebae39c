import { Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { CdcIngestor, type ChangeFeed, type ChangeFeedStatus, type CdcIngestorStats, type WindowEdgeSource } from '@bnpl/cdc';
import { LogicalReplicationUnavailableError } from '@bnpl/postgres';

export interface CdcBounds {
  readonly maxLagBytes: number;
  readonly maxLagSeconds: number;
}

/** What readiness and metrics report: the ingestor's counters and the slot as PostgreSQL sees it. */
export interface CdcSnapshot {
  readonly stats: CdcIngestorStats;
  readonly slot?: ChangeFeedStatus;
  /** Why the stream is not running, while it is not. */
  readonly startError?: string;
  /** The last day whose window edges were recomputed, and how many entities that took. */
  readonly rollover?: { readonly day: string; readonly entities: number; readonly at: string };
}

const START_RETRY_MS = 5_000;
const ROLLOVER_RETRY_MS = 60_000;
const DAY_MS = 86_400_000;
const STATUS_POLL_MS = 2_000;

/**
 * Runs the ingestor for the app's lifetime: starts streaming once the app is up, retrying while
 * PostgreSQL is unreachable or cannot replicate yet (the reason is on readiness and in the log, once per
 * distinct reason); polls the slot's position for lag; on shutdown applies and acknowledges what was
 * received before the online store and the database close.
 */
export class CdcRuntime implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('CdcIngestor');
  private startError?: string = 'starting';
  private slot?: ChangeFeedStatus;
  private stopping = false;
  private startTimer?: NodeJS.Timeout;
  private pollTimer?: NodeJS.Timeout;
  private rolloverTimer?: NodeJS.Timeout;
  private lastRollover?: CdcSnapshot['rollover'];

  constructor(
    readonly ingestor: CdcIngestor,
    private readonly feed: ChangeFeed,
    readonly bounds: CdcBounds,
    private readonly edges: WindowEdgeSource,
    private readonly clock: () => number = Date.now,
  ) {}

  onApplicationBootstrap(): void {
    void this.tryStart();
    this.pollTimer = setInterval(() => void this.tick(), STATUS_POLL_MS);
    this.pollTimer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.startTimer);
    clearInterval(this.pollTimer);
    clearTimeout(this.rolloverTimer);
    await this.ingestor.stop();
    const stats = this.ingestor.stats();
    this.logger.log(`stopped after applying ${stats.transactionsApplied} transaction(s); last acknowledged ${stats.lastAppliedLsn ?? 'none'}`);
  }

  snapshot(): CdcSnapshot {
    return {
      stats: this.ingestor.stats(),
      ...(this.slot ? { slot: this.slot } : {}),
      ...(this.startError ? { startError: this.startError } : {}),
      ...(this.lastRollover ? { rollover: this.lastRollover } : {}),
    };
  }

  /**
   * Refreshes the slot's status now (readiness calls it so that a lost slot shows at once), and on the
   * periodic poll writes the stream watermark to the online store when it moved.
   */
  async pollSlot(): Promise<ChangeFeedStatus | undefined> {
    try {
      this.slot = await this.feed.status();
    } catch {
      // PostgreSQL unreachable: the db readiness check says so; keep the last known position.
    }
    return this.slot;
  }

  private async tick(): Promise<void> {
    await this.pollSlot();
    // Redis down: the online-store readiness check and the stalled ingestor say so; the next tick retries.
    await this.ingestor.publishWatermark().catch(() => undefined);
  }

  /**
   * Moves windows with the clock: recomputes the entities on the window edges of each day in `days` (epoch
   * ms), then schedules the next UTC midnight. A failure (source or store down) retries in a minute.
   */
  private async rollover(days: number[]): Promise<void> {
    if (this.stopping) return;
    try {
      for (const day of days) {
        const started = this.clock();
        const { entities } = await this.ingestor.rollover(this.edges, new Date(day));
        const isoDay = new Date(day).toISOString().slice(0, 10);
        this.lastRollover = { day: isoDay, entities, at: new Date().toISOString() };
        this.logger.log(`window edges of ${isoDay}: recomputed ${entities} entities in ${this.clock() - started} ms`);
      }
      const now = this.clock();
      const nextMidnight = Math.floor(now / DAY_MS) * DAY_MS + DAY_MS;
      this.schedule(() => void this.rollover([nextMidnight]), nextMidnight - now + 1_000);
    } catch (error) {
      this.logger.warn(`recomputing window edges failed, retrying in ${ROLLOVER_RETRY_MS / 1000} s: ${error instanceof Error ? error.message : String(error)}`);
      this.schedule(() => void this.rollover(days), ROLLOVER_RETRY_MS);
    }
  }

  private schedule(work: () => void, delayMs: number): void {
    if (this.stopping) return;
    clearTimeout(this.rolloverTimer);
    this.rolloverTimer = setTimeout(work, delayMs);
    this.rolloverTimer.unref();
  }

  private async tryStart(): Promise<void> {
    if (this.stopping) return;
    try {
      await this.ingestor.start();
      this.startError = undefined;
      this.logger.log(`streaming ${this.ingestor.tables.join(', ')}`);
      await this.pollSlot();
      // Midnights passed while this process was not running: yesterday's and today's window edges.
      const today = this.clock();
      void this.rollover([today - DAY_MS, today]);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (message !== this.startError) {
        const hint = error instanceof LogicalReplicationUnavailableError ? '' : ' (retrying)';
        this.logger.error(`cannot stream source changes: ${message}${hint}`);
      }
      this.startError = message;
      this.startTimer = setTimeout(() => void this.tryStart(), START_RETRY_MS);
      this.startTimer.unref();
    }
  }
}
