import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { EnforceRetention } from '@bnpl/decision-records';

/**
 * The retention job: at start and every `intervalMs`, deletes decision records and outcomes older than
 * the retention period (EnforceRetention). Every batch-processor runs it; deleting twice is harmless.
 */
export class DecisionRetentionJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('DecisionRetention');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  runs = 0;
  deleted = 0;

  constructor(
    private readonly retention: EnforceRetention,
    private readonly intervalMs: number,
  ) {}

  onApplicationBootstrap(): void {
    this.running = this.runOnce();
    this.timer = setInterval(() => (this.running = this.runOnce()), this.intervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  async runOnce(): Promise<void> {
    try {
      const { cutoff, records, outcomes } = await this.retention.execute();
      this.runs++;
      this.deleted += records;
      if (records + outcomes > 0) this.logger.log(`Deleted ${records} decision records and ${outcomes} outcomes served before ${cutoff.toISOString()}`);
    } catch (error) {
      this.logger.warn(`Retention could not run (tried again in ${this.intervalMs} ms): ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
