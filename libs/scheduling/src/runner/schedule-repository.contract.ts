import type { ScheduleDefinition } from '../schedules/schedule-definition';
import type { ScheduleRepository } from './schedule-repository.port';

/** What a contract run needs from an adapter's test: an empty store, and a second client of it. */
export interface ScheduleRepositoryContractSubject {
  readonly repository: ScheduleRepository;
  /** Another client of the same store, as another process would hold (its own connections). */
  readonly another: ScheduleRepository;
  dispose(): Promise<void>;
}

const definition = (name: string, over: Partial<ScheduleDefinition> = {}): ScheduleDefinition => ({
  name,
  description: `the ${name} schedule`,
  cron: '15 * * * *',
  timeZone: 'Etc/UTC',
  paused: false,
  job: { featureService: 'credit_decision_v1', incremental: true, shardSize: 500 },
  ...over,
});
const at = (iso: string) => new Date(iso);

/**
 * The ScheduleRepository contract (see its TSDoc), run against every adapter:
 * `describeScheduleRepositoryContract('postgres', async () => ({ repository, another, dispose }))`.
 * The store must start empty; the tests run in order and share it.
 */
export function describeScheduleRepositoryContract(name: string, setup: () => Promise<ScheduleRepositoryContractSubject>): void {
  describe(`ScheduleRepository contract: ${name}`, () => {
    let subject: ScheduleRepositoryContractSubject;
    let repository: ScheduleRepository;

    beforeAll(async () => {
      subject = await setup();
      repository = subject.repository;
    });

    afterAll(async () => {
      await subject?.dispose();
    });

    it('starts empty, and stores definitions with their start, by name', async () => {
      expect(await repository.list()).toEqual([]);
      const result = await repository.withLock(async (ledger) => {
        await ledger.define(definition('b-nightly', { cron: '30 2 * * *', timeZone: 'Europe/London', job: { views: ['customer_profile', 'merchant_risk'] } }), at('2026-12-01T10:00:00Z'));
        await ledger.define(definition('a-hourly', { description: '', paused: true, job: {} }), at('2026-12-01T10:00:01Z'));
        return (await ledger.list()).map((r) => r.definition.name);
      });
      expect(result).toEqual({ acquired: true, value: ['a-hourly', 'b-nightly'] });
      expect(await subject.another.list()).toEqual([
        { definition: definition('a-hourly', { description: '', paused: true, job: {} }), since: at('2026-12-01T10:00:01Z'), lastRun: null, lastError: null },
        {
          definition: definition('b-nightly', { cron: '30 2 * * *', timeZone: 'Europe/London', job: { views: ['customer_profile', 'merchant_risk'] } }),
          since: at('2026-12-01T10:00:00Z'),
          lastRun: null,
          lastError: null,
        },
      ]);
    });

    it('records runs and failures; a run clears the failures', async () => {
      const run = { dueAt: at('2026-12-01T11:15:00Z'), firedAt: at('2026-12-01T11:15:00.250Z'), jobId: '6f1c2a8e-5b0d-4c3e-9a57-3d2b1f0e8c71', dueRuns: 3 };
      await repository.withLock(async (ledger) => {
        await ledger.recordFailure('b-nightly', 'messaging is down', at('2026-12-01T11:15:00Z'));
        await ledger.recordFailure('b-nightly', 'still down', at('2026-12-01T11:16:00Z'));
        await ledger.recordRun('a-hourly', run);
      });
      const [a, b] = await subject.another.list();
      expect(a).toMatchObject({ lastRun: run, lastError: null });
      expect(b).toMatchObject({ lastRun: null, lastError: { message: 'still down', at: at('2026-12-01T11:16:00Z'), failures: 2 } });
      await repository.withLock((ledger) => ledger.recordRun('b-nightly', { ...run, dueRuns: 1 }));
      expect((await repository.list())[1]).toMatchObject({ lastRun: { ...run, dueRuns: 1 }, lastError: null });
    });

    it('replaces a definition and its start, keeping its runs; forgets a removed schedule', async () => {
      await repository.withLock(async (ledger) => {
        await ledger.define(definition('a-hourly', { cron: '45 * * * *' }), at('2026-12-02T00:00:00Z'));
        await ledger.remove('b-nightly');
      });
      const [a, ...rest] = await repository.list();
      expect(rest).toEqual([]);
      expect(a).toMatchObject({ definition: definition('a-hourly', { cron: '45 * * * *' }), since: at('2026-12-02T00:00:00Z'), lastRun: { jobId: '6f1c2a8e-5b0d-4c3e-9a57-3d2b1f0e8c71' } });
    });

    it('shows nothing of the work under the lock before it resolves, and nothing at all when it rejects', async () => {
      let seenDuring: string[] = [];
      await repository.withLock(async (ledger) => {
        await ledger.define(definition('c-new'), at('2026-12-02T00:00:00Z'));
        seenDuring = (await subject.another.list()).map((r) => r.definition.name);
      });
      expect(seenDuring).toEqual(['a-hourly']);
      const failed = repository.withLock(async (ledger) => {
        await ledger.remove('c-new');
        await ledger.define(definition('d-doomed'), at('2026-12-02T00:00:00Z'));
        throw new Error('the submission blew up');
      });
      await expect(failed).rejects.toThrow('the submission blew up');
      expect((await repository.list()).map((r) => r.definition.name)).toEqual(['a-hourly', 'c-new']);
    });

    it('lets one holder at a time do work, without waiting: the other is told it is busy', async () => {
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let entered!: () => void;
      const inside = new Promise<void>((resolve) => (entered = resolve));
      const first = repository.withLock(async () => {
        entered();
        await held;
        return 'first';
      });
      await inside;
      let ranSecond = false;
      const started = Date.now();
      const second = await subject.another.withLock(async () => {
        ranSecond = true;
        return 'second';
      });
      expect({ second, ranSecond, waitedLong: Date.now() - started > 2_000 }).toEqual({ second: { acquired: false }, ranSecond: false, waitedLong: false });
      release();
      expect(await first).toEqual({ acquired: true, value: 'first' });
      expect(await subject.another.withLock(async () => 'after')).toEqual({ acquired: true, value: 'after' });
    });

    it('gives the lock to exactly one of many concurrent attempts', async () => {
      const attempts = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          (i % 2 ? subject.another : repository).withLock(async () => {
            await new Promise((resolve) => setTimeout(resolve, 200));
            return i;
          }),
        ),
      );
      expect(attempts.filter((a) => a.acquired)).toHaveLength(1);
    });
  });
}
