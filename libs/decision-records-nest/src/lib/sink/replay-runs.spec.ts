import { InvalidDecisionQueryError, type DayReplayReport, type ReplayDay } from '@bnpl/decision-records';
import { ReplayRuns } from './replay-runs';

const report: DayReplayReport = { day: '2026-12-01', decisions: 3, verdicts: { equal: 3, differs: 0, partial: 0, notReplayable: 0 }, features: [], examples: [], seconds: 0.1, decisionsPerSecond: 30 };

describe('ReplayRuns', () => {
  it('runs a day in the background, reports progress and the report, and shares a run already going', async () => {
    let finish!: () => void;
    const replayDay = { execute: jest.fn(async (_day: string, options?: { onProgress?: (n: number) => void }) => { options?.onProgress?.(2); await new Promise<void>((r) => (finish = r)); return report; }) } as unknown as ReplayDay;
    const runs = new ReplayRuns(replayDay);
    const run = runs.start('2026-12-01');
    expect(run).toMatchObject({ day: '2026-12-01', state: 'running' });
    expect(runs.start('2026-12-01').id).toBe(run.id);
    await new Promise((r) => setImmediate(r));
    expect(runs.get(run.id)).toMatchObject({ decisionsDone: 2, state: 'running' });
    finish();
    await new Promise((r) => setImmediate(r));
    expect(runs.get(run.id)).toMatchObject({ state: 'succeeded', decisionsDone: 3, report });
    expect(runs.get('nope')).toBeUndefined();
  });

  it('records a failed run, and refuses a bad day at once', async () => {
    const runs = new ReplayRuns({ execute: async () => Promise.reject(new Error('offline store down')) } as unknown as ReplayDay);
    const run = runs.start('2026-12-02');
    await new Promise((r) => setImmediate(r));
    expect(runs.get(run.id)).toMatchObject({ state: 'failed', error: 'offline store down' });
    expect(() => runs.start('2026-02-30')).toThrow(InvalidDecisionQueryError);
  });
});
