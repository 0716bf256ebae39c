import { Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { CdcIngestor, type ChangeFeed, type ChangeFeedStatus, type CdcIngestorStats } from '@bnpl/cdc';
import { LogicalReplicationUnavailableError } from '@bnpl/db';

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
}

const START_RETRY_MS = 5_000;
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

  constructor(
    readonly ingestor: CdcIngestor,
    private readonly feed: ChangeFeed,
    readonly bounds: CdcBounds,
  ) {}

  onApplicationBootstrap(): void {
    void this.tryStart();
    this.pollTimer = setInterval(() => void this.pollSlot(), STATUS_POLL_MS);
    this.pollTimer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.startTimer);
    clearInterval(this.pollTimer);
    await this.ingestor.stop();
    const stats = this.ingestor.stats();
    this.logger.log(`stopped after applying ${stats.transactionsApplied} transaction(s); last acknowledged ${stats.lastAppliedLsn ?? 'none'}`);
  }

  snapshot(): CdcSnapshot {
    return { stats: this.ingestor.stats(), ...(this.slot ? { slot: this.slot } : {}), ...(this.startError ? { startError: this.startError } : {}) };
  }

  /** Refreshes the slot's status now (readiness calls it so that a lost slot shows at once). */
  async pollSlot(): Promise<ChangeFeedStatus | undefined> {
    try {
      this.slot = await this.feed.status();
    } catch {
      // PostgreSQL unreachable: the db readiness check says so; keep the last known position.
    }
    return this.slot;
  }

  private async tryStart(): Promise<void> {
    if (this.stopping) return;
    try {
      await this.ingestor.start();
      this.startError = undefined;
      this.logger.log(`streaming ${this.ingestor.tables.join(', ')}`);
      await this.pollSlot();
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
