import type { ScheduleRecord } from '@bnpl/scheduling';
import { toScheduleView } from './schedules.mapper';
import { scheduleSchema } from './schedules.schema';

const record: ScheduleRecord = {
  definition: { name: 'hourly', description: 'd', cron: '15 * * * *', timeZone: 'Etc/UTC', paused: false, job: { featureService: 'credit_decision_v1', incremental: true } },
  since: new Date('2026-12-01T09:00:00Z'),
  lastRun: { dueAt: new Date('2026-12-01T10:15:00Z'), firedAt: new Date('2026-12-01T10:15:00.120Z'), jobId: '6f1c2a8e-5b0d-4c3e-9a57-3d2b1f0e8c71', dueRuns: 2 },
  lastError: null,
};

describe('toScheduleView', () => {
  it('writes the schedule, its job as the POST /v1/jobs body, its next due instant and its last run', () => {
    const view = toScheduleView(record, new Date('2026-12-01T10:30:00Z'));
    expect(view).toEqual({
      name: 'hourly',
      description: 'd',
      cron: '15 * * * *',
      time_zone: 'Etc/UTC',
      paused: false,
      job: { kind: 'materialize', feature_service: 'credit_decision_v1', incremental: true },
      since: '2026-12-01T09:00:00.000Z',
      next_due_at: '2026-12-01T11:15:00.000Z',
      late: false,
      last_run: { due_at: '2026-12-01T10:15:00.000Z', fired_at: '2026-12-01T10:15:00.120Z', job_id: '6f1c2a8e-5b0d-4c3e-9a57-3d2b1f0e8c71', due_runs: 2 },
      last_error: null,
    });
    expect(scheduleSchema.parse(view)).toEqual(view);
  });

  it('says a run is late once it has been owed for over a minute, and shows the failures', () => {
    const failing = { ...record, lastError: { message: 'messaging is down', at: new Date('2026-12-01T11:15:00Z'), failures: 3 } };
    expect(toScheduleView(failing, new Date('2026-12-01T11:16:00Z'))).toMatchObject({ next_due_at: '2026-12-01T11:15:00.000Z', late: false });
    expect(toScheduleView(failing, new Date('2026-12-01T11:16:01Z'))).toMatchObject({ late: true, last_error: { message: 'messaging is down', at: '2026-12-01T11:15:00.000Z', failures: 3 } });
  });

  it('has no next run while paused', () => {
    const paused = { ...record, definition: { ...record.definition, paused: true } };
    expect(toScheduleView(paused, new Date('2026-12-02T00:00:00Z'))).toMatchObject({ paused: true, next_due_at: null, late: false });
  });
});
