import { randomUUID } from 'node:crypto';
import { InvalidDecisionQueryError, utcDayRange, type DayReplayReport, type ReplayDay } from '@bnpl/decision-records';

export type ReplayRunState = 'running' | 'succeeded' | 'failed';

/** One whole-day replay, as a client follows it. */
export interface ReplayRun {
  readonly id: string;
  readonly day: string;
  readonly state: ReplayRunState;
  readonly decisionsDone: number;
  readonly report: DayReplayReport | null;
  readonly error: string | null;
  readonly startedAt: Date;
  readonly finishedAt: Date | null;
}

/** Runs kept for clients to read, oldest dropped first. */
const KEPT = 100;

/**
 * Whole-day replays run in the background by the decisions service, one at a time per day asked: a POST
 * starts one and answers at once; its progress and report are read by id. Runs live in this process's
 * memory (the last 100): a restarted service forgets them, and the replay is asked again.
 */
export class ReplayRuns {
  readonly #runs = new Map<string, ReplayRun>();

  constructor(private readonly replayDay: ReplayDay) {}

  /** Starts a replay of `day` (YYYY-MM-DD, UTC); throws InvalidDecisionQueryError for a bad day. */
  start(day: string): ReplayRun {
    if (!utcDayRange(day)) throw new InvalidDecisionQueryError(`"day" must be a day as YYYY-MM-DD, got ${JSON.stringify(day).slice(0, 40)}`);
    const running = [...this.#runs.values()].find((r) => r.day === day && r.state === 'running');
    if (running) return running;
    const run: ReplayRun = { id: randomUUID(), day, state: 'running', decisionsDone: 0, report: null, error: null, startedAt: new Date(), finishedAt: null };
    this.#set(run);
    void this.replayDay
      .execute(day, { onProgress: (n) => this.#set({ ...(this.#runs.get(run.id) as ReplayRun), decisionsDone: n }) })
      .then(
        (report) => this.#set({ ...(this.#runs.get(run.id) as ReplayRun), state: 'succeeded', report, decisionsDone: report.decisions, finishedAt: new Date() }),
        (error: unknown) => this.#set({ ...(this.#runs.get(run.id) as ReplayRun), state: 'failed', error: error instanceof Error ? error.message : String(error), finishedAt: new Date() }),
      );
    return run;
  }

  get(id: string): ReplayRun | undefined {
    return this.#runs.get(id);
  }

  #set(run: ReplayRun): void {
    this.#runs.set(run.id, run);
    while (this.#runs.size > KEPT) this.#runs.delete(this.#runs.keys().next().value as string);
  }
}
