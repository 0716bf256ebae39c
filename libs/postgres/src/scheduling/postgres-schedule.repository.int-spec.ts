import type { JobRequest } from '@bnpl/batch';
import { describeScheduleRepositoryContract, ScheduleRunner, type ScheduleDefinition } from '@bnpl/scheduling';
import { createTestDatabase } from '@bnpl/service-launchers';
import { advisoryLockKey, withTryAdvisoryXactLock } from '../locks/advisory-lock';
import { SourceDatabase } from '../lib/source-database';
import { JOB_SCHEDULER_LOCK_KEY, PostgresScheduleRepository } from './postgres-schedule.repository';

/** Two clients of one database, each with its own pool, as two batch-processor processes have. */
async function twoClients() {
  const pg = await createTestDatabase();
  const [a, b] = [new SourceDatabase({ type: 'postgres', url: pg.url, poolSize: 4 }), new SourceDatabase({ type: 'postgres', url: pg.url, poolSize: 4 })];
  await Promise.all([a.start(), b.start()]);
  return {
    pg,
    a,
    b,
    dispose: async () => {
      await Promise.all([a.close(), b.close()]);
      await pg.stop();
    },
  };
}

describeScheduleRepositoryContract('postgres', async () => {
  const { a, b, dispose } = await twoClients();
  return { repository: new PostgresScheduleRepository(a), another: new PostgresScheduleRepository(b), dispose };
});

describe('advisory locks (real PostgreSQL)', () => {
  let clients: Awaited<ReturnType<typeof twoClients>>;
  beforeAll(async () => (clients = await twoClients()));
  afterAll(() => clients?.dispose());

  it('derive stable, distinct 64-bit keys from names', () => {
    expect(advisoryLockKey('bnpl.feature-store.job-scheduler')).toBe(JOB_SCHEDULER_LOCK_KEY);
    expect(BigInt(JOB_SCHEDULER_LOCK_KEY)).toBeGreaterThanOrEqual(-(2n ** 63n));
    expect(advisoryLockKey('another')).not.toBe(JOB_SCHEDULER_LOCK_KEY);
  });

  it('are released when the holding session dies, not only on commit', async () => {
    const key = advisoryLockKey('lock-of-a-dying-session');
    const doomed = new SourceDatabase({ type: 'postgres', url: clients.pg.url, poolSize: 1 });
    await doomed.start();
    let inside!: () => void;
    const entered = new Promise<void>((resolve) => (inside = resolve));
    const holding = withTryAdvisoryXactLock(doomed, key, async (query) => {
      inside();
      await query('SELECT pg_sleep(3600)'); // the session dies in here, holding the lock
    });
    await entered;
    expect(await withTryAdvisoryXactLock(clients.b, key, async () => 'taken')).toEqual({ acquired: false });
    const [{ pid }] = await clients.a.query<{ pid: number }>(`SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`);
    await clients.a.query('SELECT pg_terminate_backend($1)', [pid]);
    await expect(holding).rejects.toThrow();
    expect(await withTryAdvisoryXactLock(clients.b, key, async () => 'taken')).toEqual({ acquired: true, value: 'taken' });
    await doomed.close().catch(() => undefined);
  });
});

describe('scheduled jobs over PostgreSQL: two schedulers (real PostgreSQL)', () => {
  let clients: Awaited<ReturnType<typeof twoClients>>;
  beforeAll(async () => (clients = await twoClients()));
  afterAll(() => clients?.dispose());

  const every5: ScheduleDefinition = { name: 'every-5-minutes', description: '', cron: '*/5 * * * *', timeZone: 'Etc/UTC', paused: false, job: { incremental: true } };
  const hourly: ScheduleDefinition = { name: 'hourly', description: '', cron: '0 * * * *', timeZone: 'Europe/London', paused: false, job: { featureService: 'credit_decision_v1' } };
  const submitted: Array<{ by: string; request: JobRequest }> = [];
  const clock = { now: new Date('2026-12-01T09:58:00Z') };
  /** A batch-processor's scheduler: its own connections, a job submitter that takes a moment. */
  const scheduler = (by: string, db: SourceDatabase) =>
    new ScheduleRunner({
      schedules: [every5, hourly],
      repository: new PostgresScheduleRepository(db),
      clock: () => clock.now,
      jobs: {
        submit: async (request) => {
          await new Promise((resolve) => setTimeout(resolve, 30));
          submitted.push({ by, request });
          return { id: `00000000-0000-4000-8000-${String(submitted.length).padStart(12, '0')}` };
        },
      },
    });

  it('fire each due run exactly once while both tick at the same instants', async () => {
    const [a, b] = [scheduler('a', clients.a), scheduler('b', clients.b)];
    await Promise.all([a.tick(), b.tick()]);
    const locks: string[] = [];
    // Two hours in steps of 20 s, both instances ticking together at each step (and again right after).
    for (let t = clock.now.getTime(), step = 0; t <= Date.parse('2026-12-01T12:00:00Z'); t += 20_000, step++) {
      clock.now = new Date(t);
      const [first, second] = step % 2 ? [b, a] : [a, b];
      const ticks = await Promise.all([first.tick(), second.tick(), second.tick(), first.tick()]);
      locks.push(...ticks.map((x) => x.lock));
    }
    const byName = (name: string) => submitted.filter((s) => (name === 'hourly' ? s.request.featureService : s.request.incremental));
    expect(byName('every-5-minutes')).toHaveLength(25); // 10:00, 10:05 ... 12:00
    expect(byName('every-5-minutes').length + byName('hourly').length).toBe(submitted.length);
    expect(byName('hourly')).toHaveLength(3); // 10:00, 11:00 and 12:00 UTC (London is on UTC in December)
    // Both did fire some runs, and were turned away some of the time: the lock was contended.
    expect(new Set(submitted.map((s) => s.by))).toEqual(new Set(['a', 'b']));
    expect(locks).toContain('busy');
    const stored = await new PostgresScheduleRepository(clients.a).list();
    expect(stored.map((r) => [r.definition.name, r.lastRun?.dueAt.toISOString(), r.lastRun?.dueRuns])).toEqual([
      ['every-5-minutes', '2026-12-01T12:00:00.000Z', 1],
      ['hourly', '2026-12-01T12:00:00.000Z', 1],
    ]);
  });

  it('catch up once after every scheduler was down across due times', async () => {
    submitted.length = 0;
    clock.now = new Date('2026-12-01T15:42:00Z');
    const restarted = scheduler('c', clients.b);
    const first = await restarted.tick();
    expect(first.fired.map((f) => [f.name, f.dueAt.toISOString(), f.dueRuns])).toEqual([
      ['every-5-minutes', '2026-12-01T15:40:00.000Z', 44],
      ['hourly', '2026-12-01T15:00:00.000Z', 3],
    ]);
    expect((await restarted.tick()).fired).toEqual([]);
    expect(submitted).toHaveLength(2);
  });
});
