import type { JobRequest } from '@bnpl/batch';
import type { ScheduleDefinition } from '../schedules/schedule-definition';
import { nextDueAt } from './due-runs';
import { InMemoryScheduleRepository } from './in-memory-schedule.repository';
import { describeScheduleRepositoryContract } from './schedule-repository.contract';
import type { ScheduleLedger } from './schedule-repository.port';
import { ScheduleRunner, scheduledRunKey, type JobSubmitter } from './schedule-runner';

/** A ledger's methods bound to it, so that one can be replaced. */
const bind = (l: ScheduleLedger): ScheduleLedger => ({
  list: () => l.list(),
  define: (d, since) => l.define(d, since),
  remove: (name) => l.remove(name),
  recordRun: (name, run) => l.recordRun(name, run),
  recordFailure: (name, message, at) => l.recordFailure(name, message, at),
});

describeScheduleRepositoryContract('in-memory', async () => {
  const repository = new InMemoryScheduleRepository();
  return { repository, another: repository, dispose: async () => undefined };
});

const hourly: ScheduleDefinition = { name: 'hourly', description: 'hourly incremental', cron: '0 * * * *', timeZone: 'Etc/UTC', paused: false, job: { incremental: true } };
const nightly: ScheduleDefinition = { name: 'nightly', description: 'nightly full', cron: '30 2 * * *', timeZone: 'Europe/London', paused: false, job: { featureService: 'credit_decision_v1' } };

/** A job submitter recording the jobs it created (one per idempotency key, as JobService), optionally slow or failing. */
class FakeJobs implements JobSubmitter {
  readonly submitted: JobRequest[] = [];
  readonly keys = new Map<string, string>();
  calls = 0;
  failWith?: Error;
  delayMs = 0;
  async submit(request: JobRequest, options: { idempotencyKey?: string } = {}) {
    this.calls++;
    if (this.delayMs) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    if (this.failWith) throw this.failWith;
    const known = options.idempotencyKey === undefined ? undefined : this.keys.get(options.idempotencyKey);
    if (known) return { id: known };
    this.submitted.push(request);
    const id = `job-${this.submitted.length}`;
    if (options.idempotencyKey !== undefined) this.keys.set(options.idempotencyKey, id);
    return { id };
  }
}

/** A runner over a shared repository with a clock the test moves. */
function setup(schedules: ScheduleDefinition[] = [hourly, nightly], repository = new InMemoryScheduleRepository()) {
  const clock = { now: new Date('2026-12-01T10:59:30Z') };
  const jobs = new FakeJobs();
  const logs: string[] = [];
  const runner = (defs = schedules) =>
    new ScheduleRunner({ schedules: defs, repository, jobs, clock: () => clock.now, logger: { log: (m) => logs.push(m), warn: (m) => logs.push(`WARN ${m}`) } }, { retryMs: 60_000, maxRetryMs: 240_000 });
  const setTime = (iso: string) => (clock.now = new Date(iso));
  return { repository, jobs, logs, runner, setTime, clock };
}

describe('ScheduleRunner', () => {
  it('stores its schedules, fires nothing at once, then fires each run when it is due', async () => {
    const { runner, jobs, setTime, repository } = setup();
    const scheduler = runner();
    expect(await scheduler.tick()).toEqual({ lock: 'acquired', fired: [], failed: [] });
    expect((await repository.list()).map((r) => [r.definition.name, r.since.toISOString(), nextDueAt(r)?.toISOString()])).toEqual([
      ['hourly', '2026-12-01T10:59:30.000Z', '2026-12-01T11:00:00.000Z'],
      ['nightly', '2026-12-01T10:59:30.000Z', '2026-12-02T02:30:00.000Z'],
    ]);
    setTime('2026-12-01T11:00:00.120Z');
    expect(await scheduler.tick()).toEqual({ lock: 'acquired', fired: [{ name: 'hourly', jobId: 'job-1', dueAt: new Date('2026-12-01T11:00:00Z'), dueRuns: 1 }], failed: [] });
    expect(jobs.submitted).toEqual([{ kind: 'materialize', incremental: true }]);
    setTime('2026-12-01T11:30:00Z');
    expect((await scheduler.tick()).fired).toEqual([]);
    setTime('2026-12-02T02:30:05Z');
    expect((await scheduler.tick()).fired.map((f) => [f.name, f.dueAt.toISOString(), f.dueRuns])).toEqual([
      ['hourly', '2026-12-02T02:00:00.000Z', 15],
      ['nightly', '2026-12-02T02:30:00.000Z', 1],
    ]);
    expect(jobs.submitted.at(-1)).toEqual({ kind: 'materialize', featureService: 'credit_decision_v1' });
  });

  it('fires each run once across two instances ticking at the same instant', async () => {
    const { runner, jobs, setTime } = setup();
    const [a, b] = [runner(), runner()];
    await a.tick();
    setTime('2026-12-01T11:00:01Z');
    jobs.delayMs = 50;
    const both = await Promise.all([a.tick(), b.tick()]);
    expect(both.map((t) => t.lock).sort()).toEqual(['acquired', 'busy']);
    expect(both.flatMap((t) => t.fired).map((f) => f.name)).toEqual(['hourly']);
    // The instance that was busy looks again later and finds the run recorded.
    expect(await b.tick()).toEqual({ lock: 'acquired', fired: [], failed: [] });
    expect(await a.tick()).toEqual({ lock: 'acquired', fired: [], failed: [] });
    expect(jobs.submitted).toHaveLength(1);
  });

  it('catches up once after an outage across due times, then runs on schedule', async () => {
    const { runner, jobs, setTime, repository, logs } = setup([hourly]);
    await runner().tick();
    setTime('2026-12-01T11:00:02Z');
    await runner().tick();
    // Every instance is down from 11:10 to 14:20: 12:00, 13:00 and 14:00 pass unfired.
    setTime('2026-12-01T14:20:00Z');
    const restarted = runner();
    expect((await restarted.tick()).fired).toEqual([{ name: 'hourly', jobId: 'job-2', dueAt: new Date('2026-12-01T14:00:00Z'), dueRuns: 3 }]);
    expect(logs).toContain('Schedule hourly: submitted job job-2 for the run due at 2026-12-01T14:00:00.000Z, catching up 3 due runs missed while no scheduler ran');
    expect((await restarted.tick()).fired).toEqual([]);
    setTime('2026-12-01T15:00:00Z');
    expect((await restarted.tick()).fired).toEqual([{ name: 'hourly', jobId: 'job-3', dueAt: new Date('2026-12-01T15:00:00Z'), dueRuns: 1 }]);
    expect(jobs.submitted).toHaveLength(3);
    expect((await repository.list())[0].lastRun).toEqual({ dueAt: new Date('2026-12-01T15:00:00Z'), firedAt: new Date('2026-12-01T15:00:00Z'), jobId: 'job-3', dueRuns: 1 });
  });

  it('submits a run once even when the process dies between submitting and recording it', async () => {
    const repository = new InMemoryScheduleRepository();
    const { runner, jobs, setTime } = setup([hourly], repository);
    await runner().tick();
    setTime('2026-12-01T11:00:05Z');
    // The first tick dies after the job is submitted, before its run is recorded: nothing it wrote under the
    // lock survives (here every later write fails, as in a PostgreSQL transaction whose session is gone).
    const killed = () => Promise.reject(new Error('process killed'));
    const dying = { list: () => repository.list(), withLock: <T>(work: (l: ScheduleLedger) => Promise<T>) => repository.withLock((l) => work({ ...bind(l), recordRun: killed, recordFailure: killed })) };
    const crashed = new ScheduleRunner({ schedules: [hourly], repository: dying, jobs, clock: () => new Date('2026-12-01T11:00:05Z') });
    await expect(crashed.tick()).rejects.toThrow('process killed');
    expect((await repository.list())[0].lastRun).toBeNull();
    // The next tick owes the run again and submits it under the same key: the same job, not a second one.
    expect((await runner().tick()).fired).toEqual([{ name: 'hourly', jobId: 'job-1', dueAt: new Date('2026-12-01T11:00:00Z'), dueRuns: 1 }]);
    expect({ calls: jobs.calls, created: jobs.submitted.length, keys: [...jobs.keys.keys()] }).toEqual({ calls: 2, created: 1, keys: [scheduledRunKey('hourly', new Date('2026-12-01T11:00:00Z'))] });
    expect(scheduledRunKey('hourly', new Date('2026-12-01T11:00:00Z'))).toBe('schedule:hourly@1796122800');
  });

  it('records a failed submission, retries it with backoff, and clears the error when it succeeds', async () => {
    const { runner, jobs, setTime, repository } = setup([hourly]);
    const scheduler = runner();
    await scheduler.tick();
    jobs.failWith = new Error('messaging is down');
    setTime('2026-12-01T11:00:00Z');
    expect(await scheduler.tick()).toEqual({ lock: 'acquired', fired: [], failed: [{ name: 'hourly', message: 'messaging is down' }] });
    const [failed] = await repository.list();
    expect(failed.lastError).toEqual({ message: 'messaging is down', at: new Date('2026-12-01T11:00:00Z'), failures: 1 });
    expect(nextDueAt(failed)).toEqual(new Date('2026-12-01T11:00:00Z'));
    setTime('2026-12-01T11:00:59Z'); // within the first 60 s of backoff
    expect((await scheduler.tick()).failed).toEqual([]);
    setTime('2026-12-01T11:01:00Z');
    expect((await scheduler.tick()).failed).toHaveLength(1);
    setTime('2026-12-01T11:02:59Z'); // the second wait is 120 s
    expect((await scheduler.tick()).failed).toEqual([]);
    jobs.failWith = undefined;
    setTime('2026-12-01T11:03:00Z');
    expect((await scheduler.tick()).fired).toEqual([{ name: 'hourly', jobId: 'job-1', dueAt: new Date('2026-12-01T11:00:00Z'), dueRuns: 1 }]);
    expect((await repository.list())[0].lastError).toBeNull();
  });

  it('restarts the catch-up baseline when the timing changes, not when only the job or description does', async () => {
    const { runner, setTime, repository } = setup([hourly]);
    await runner().tick();
    setTime('2026-12-01T12:30:00Z');
    // A redeploy changes the description and the job: 11:00 and 12:00 are still owed, and caught up once.
    const reworded = { ...hourly, description: 'reworded', job: { incremental: true, shardSize: 1_000 } };
    expect((await runner([reworded]).tick()).fired.map((f) => f.dueRuns)).toEqual([2]);
    expect((await repository.list())[0].definition).toEqual(reworded);
    setTime('2026-12-01T14:30:00Z');
    // Another moves it to :45: the runs of the old timing are not owed under the new one.
    const moved = { ...reworded, cron: '45 * * * *' };
    expect((await runner([moved]).tick()).fired).toEqual([]);
    expect((await repository.list())[0].since).toEqual(new Date('2026-12-01T14:30:00Z'));
  });

  it('fires nothing while paused, and does not catch up the paused time when resumed', async () => {
    const { runner, setTime, jobs } = setup([hourly]);
    await runner().tick();
    setTime('2026-12-01T11:30:00Z');
    expect((await runner([{ ...hourly, paused: true }]).tick()).fired).toEqual([]);
    setTime('2026-12-01T15:30:00Z');
    expect((await runner([{ ...hourly, paused: true }]).tick()).fired).toEqual([]);
    expect((await runner().tick()).fired).toEqual([]);
    setTime('2026-12-01T16:00:00Z');
    expect((await runner().tick()).fired.map((f) => f.dueRuns)).toEqual([1]);
    expect(jobs.submitted).toHaveLength(1);
  });

  it('forgets schedules no longer configured', async () => {
    const { runner, repository } = setup();
    await runner().tick();
    await runner([nightly]).tick();
    expect((await repository.list()).map((r) => r.definition.name)).toEqual(['nightly']);
  });

  it('sleeps until the next due instant, within [200 ms, poll interval]', () => {
    const { runner } = setup([hourly, { ...nightly, paused: true }]);
    const scheduler = runner();
    expect(scheduler.waitAfter(new Date('2026-12-01T10:59:50Z'))).toBe(10_100);
    expect(scheduler.waitAfter(new Date('2026-12-01T10:30:00Z'))).toBe(30_000);
    expect(scheduler.waitAfter(new Date('2026-12-01T10:59:59.950Z'))).toBe(200);
  });

  it('runs by itself once started, and stops', async () => {
    const repository = new InMemoryScheduleRepository();
    const jobs = new FakeJobs();
    // A clock 0.5 s before a minute boundary: an every-minute schedule is due half a second after start.
    const offset = Math.ceil(Date.now() / 60_000) * 60_000 + 60_000 - 500 - Date.now();
    const every: ScheduleDefinition = { ...hourly, cron: '* * * * *' };
    const scheduler = new ScheduleRunner({ schedules: [every], repository, jobs, clock: () => new Date(Date.now() + offset) });
    scheduler.start();
    const deadline = Date.now() + 3_000;
    while (jobs.submitted.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    await scheduler.stop();
    expect(jobs.submitted).toEqual([{ kind: 'materialize', incremental: true }]);
    expect((await repository.list())[0].lastRun?.dueRuns).toBe(1);
  });
});
