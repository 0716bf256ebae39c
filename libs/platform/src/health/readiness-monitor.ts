import { type LoggerService } from '@nestjs/common';
import { withTimeout, type ReadinessCheck } from './readiness-check';
import { readinessVerdict, type CheckResult, type ReadinessVerdict } from './readiness-verdict';

/** One check to run, and whether the service serves without it. */
export interface MonitoredCheck {
  readonly check: ReadinessCheck;
  readonly degradable: boolean;
}

/**
 * Runs a service's readiness checks (each bounded by `timeoutMs`) on every probe and in the background,
 * keeps the last verdict for metrics and the gRPC health service, and logs each change once: a dependency
 * going down or coming back, the service turning degraded, unready or fully ready.
 */
export class ReadinessMonitor {
  #last: ReadinessVerdict | null = null;
  #timer: NodeJS.Timeout | undefined;
  readonly #states = new Map<string, boolean>();

  constructor(
    private readonly checks: readonly MonitoredCheck[],
    private readonly timeoutMs: number,
    private readonly logger: Pick<LoggerService, 'log' | 'warn' | 'error'>,
  ) {}

  /** The last verdict (null before the first evaluation). */
  get last(): ReadinessVerdict | null {
    return this.#last;
  }

  /** Runs every check now and returns the verdict. */
  async evaluate(): Promise<ReadinessVerdict> {
    const results = await Promise.all(this.checks.map((c) => this.#run(c)));
    const verdict = readinessVerdict(results);
    this.#logChange(verdict);
    this.#last = verdict;
    return verdict;
  }

  /** Evaluates every `intervalMs` in the background, so that metrics and logs follow the dependencies without probes. */
  start(intervalMs: number): void {
    if (intervalMs <= 0) return;
    void this.evaluate();
    this.#timer = setInterval(() => void this.evaluate(), intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  async #run({ check, degradable }: MonitoredCheck): Promise<CheckResult> {
    try {
      const details = (await withTimeout(check.check(), this.timeoutMs, check.name)) ?? {};
      this.#transition(check.name, true);
      return { name: check.name, up: true, degradable, details };
    } catch (error) {
      const message = (error as Error).message;
      // Transitions only: a probe every few seconds must not flood the log while a dependency is down.
      this.#transition(check.name, false, message);
      return { name: check.name, up: false, degradable, details: { message } };
    }
  }

  #transition(name: string, up: boolean, message?: string): void {
    if (this.#states.get(name) === up) return;
    this.#states.set(name, up);
    if (up) this.logger.log(`dependency ${name} is up`);
    else this.logger.error(`dependency ${name} is down: ${message}`);
  }

  #logChange(verdict: ReadinessVerdict): void {
    const before = this.#last;
    const key = (v: ReadinessVerdict | null) => (v === null ? '' : `${v.ready}:${v.degraded.join(',')}`);
    if (key(before) === key(verdict)) return;
    if (!verdict.ready) this.logger.error(`not ready: ${Object.keys(verdict.body.error).join(', ')} down`);
    else if (verdict.degraded.length > 0) this.logger.warn(`ready, degraded: ${verdict.degraded.join(', ')} down; serving without it`);
    else if (before !== null) this.logger.log('ready: every dependency answers');
  }
}
