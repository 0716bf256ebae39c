import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '@bnpl/service-launchers';
import { getJson, seedSyntheticSource, startTestStack, waitFor, type StartedService, type TestStack } from '@bnpl/testing';

/** libfaketime (`apt-get install -y faketime`): each batch-processor runs on a clock of its own, set by the test. */
const LIBFAKETIME = ['/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1', '/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1', '/usr/lib/faketime/libfaketime.so.1'].find(existsSync);

/** The environment that starts a process's clock at `start` (then it runs at the normal rate). */
function clockAt(start: string): Record<string, string> {
  if (!LIBFAKETIME) throw new Error('libfaketime is missing: apt-get install -y --no-install-recommends faketime');
  // Timers run on the real monotonic clock: only the date moves.
  return { LD_PRELOAD: LIBFAKETIME, FAKETIME: `@${start}`, FAKETIME_DONT_FAKE_MONOTONIC: '1', TZ: 'UTC' };
}

interface ScheduleAnswer {
  name: string;
  since: string;
  next_due_at: string | null;
  last_run: { due_at: string; fired_at: string; job_id: string; due_runs: number } | null;
}
interface JobAnswer {
  id: string;
  state: string;
  views: string[];
}

/** What a process logged of the runs it submitted. */
function submissions(service: StartedService): Array<{ job: string; due: string; dueRuns: number }> {
  return [...service.output().matchAll(/Schedule every-minute: submitted job (\S+) for the run due at (\d{4}-\d\d-\d\dT[\d:.]+Z)(?:, catching up (\d+) due runs)?/g)].map((m) => ({ job: m[1], due: m[2], dueRuns: Number(m[3] ?? 1) }));
}

/**
 * Scheduled jobs end to end: real batch-processor processes (each on a clock of its own, libfaketime) on
 * one PostgreSQL, rest-gateway showing the schedules. Every process ticks when a run is due; the advisory
 * lock and the recorded runs make exactly one of them submit each run, and a restart after due times
 * passed submits one run for all of them.
 */
describe('scheduled jobs across batch-processors (real PostgreSQL, Redis; libfaketime clocks)', () => {
  const dir = makeTempDir('bnpl-schedules-');
  const file = join(dir.path, 'schedules.json');
  let stack: TestStack;
  let api: string;

  const startProcessor = (start: string) =>
    stack.startService('batch-processor', { JOB_SCHEDULES_FILE: file, SCHEDULER_POLL_MS: '1000', LOG_LEVEL: 'log', ...clockAt(start) });
  const schedules = async () => ((await getJson(`${api}/v1/schedules`)).body as { schedules: ScheduleAnswer[] }).schedules;

  beforeAll(async () => {
    writeFileSync(file, JSON.stringify([{ name: 'every-minute', description: 'customer profiles, every minute', cron: '* * * * *', time_zone: 'Europe/London', job: { views: ['customer_profile'] } }]));
    stack = await startTestStack();
    await seedSyntheticSource(stack.pg.url, 40);
    api = (await stack.startService('rest-gateway', { AUTH_MODE: 'off' })).url;
  });

  afterAll(async () => {
    await stack?.stop();
    dir.remove();
  });

  it('refuses to start on a bad schedules file, naming the variable and the problem', async () => {
    const bad = join(dir.path, 'bad.json');
    writeFileSync(bad, JSON.stringify([{ name: 'typo', cron: '0 25 * * *', job: {} }]));
    const failed = await stack.startService('batch-processor', { JOB_SCHEDULES_FILE: bad }).then(
      () => 'started',
      (error: Error) => error.message,
    );
    expect(failed).toMatch(/exited \(code 2/);
    expect(failed).toContain('JOB_SCHEDULES_FILE');
    expect(failed).toMatch(/schedule 1 \(\\?"typo\\?"\): cron: hour field \\?"25\\?": 25 is outside 0-23/);
  });

  it('fires each run from one of two instances, and catches up once the runs missed while none ran', async () => {
    // A first instance defines the schedule at 09:00 UTC (fake time), then stops.
    const first = await startProcessor('2027-06-01 09:00:00');
    await waitFor('the schedule to be stored', async () => (await schedules()).length === 1, 30_000, 200);
    const [defined] = await schedules();
    expect(defined).toMatchObject({ name: 'every-minute', last_run: null, since: expect.stringMatching(/^2027-06-01T09:00:/) });
    await first.stop();

    // No instance runs from 09:00 to 09:59:30. Two start together, each ticking every second and at every
    // due instant, until two runs have been fired.
    const [a, b] = await Promise.all([startProcessor('2027-06-01 09:59:30'), startProcessor('2027-06-01 09:59:30')]);
    const fired = () => [...submissions(a), ...submissions(b)].sort((x, y) => x.due.localeCompare(y.due));
    await waitFor('two runs', async () => fired().length >= 2, 90_000, 200);
    const runs = fired();
    // One submission per due instant, whichever instance made it, minute after minute.
    const minutes = runs.map((r) => Date.parse(r.due) / 60_000);
    expect(minutes).toEqual(minutes.map((_, i) => minutes[0] + i));
    // The first stands for every minute since the schedule was defined (caught up once), the others for one.
    const missed = minutes[0] - Math.floor(Date.parse(defined.since) / 60_000);
    expect(missed).toBeGreaterThan(50);
    expect(runs.map((r) => r.dueRuns)).toEqual([missed, ...runs.slice(1).map(() => 1)]);
    // Each submission is a real job, run to completion by the instance that submitted it.
    const job = async (id: string) => ((await getJson(`${api}/v1/jobs/${id}`)).body as { job: JobAnswer }).job;
    await waitFor('the jobs to finish', async () => (await Promise.all(runs.map((r) => job(r.job)))).every((j) => j.state === 'succeeded'), 30_000, 200);
    await Promise.all([a.stop(), b.stop()]);
    const submitted = fired();
    const jobs = ((await getJson(`${api}/v1/jobs`)).body as { jobs: JobAnswer[] }).jobs;
    expect(jobs.map((j) => j.id).sort()).toEqual(submitted.map((f) => f.job).sort());
    expect(jobs.every((j) => j.views.join() === 'customer_profile')).toBe(true);
    const [shown] = await schedules();
    expect(shown.last_run).toMatchObject({ due_at: submitted.at(-1)?.due, job_id: submitted.at(-1)?.job, due_runs: 1 });
  });
});
