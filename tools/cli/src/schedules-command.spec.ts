import { createServer, type Server } from 'node:http';
import { toJobBody } from './job-body';
import { runCli } from './program';
import { scheduleTable } from './schedules-command';
import type { ScheduleView } from './api-client';

function sink() {
  let text = '';
  return { stream: { write: (s: string) => ((text += s), true) } as unknown as NodeJS.WritableStream, text: () => text };
}

const hourly: ScheduleView = {
  name: 'bnpl-materialize-incremental',
  description: 'hourly',
  cron: '15 * * * *',
  time_zone: 'Etc/UTC',
  paused: false,
  job: { kind: 'materialize', incremental: true },
  next_due_at: '2026-12-01T11:15:00.000Z',
  late: false,
  last_run: { due_at: '2026-12-01T10:15:00.000Z', fired_at: '2026-12-01T10:15:00.120Z', job_id: '6f1c2a8e-5b0d-4c3e-9a57-3d2b1f0e8c71', due_runs: 3 },
  last_error: null,
};
const nightly: ScheduleView = { ...hourly, name: 'bnpl-materialize-full', cron: '30 2 * * *', time_zone: 'Europe/London', next_due_at: '2026-12-01T02:30:00.000Z', late: true, last_run: null, last_error: { message: 'messaging is down', at: '2026-12-01T02:31:00.000Z', failures: 2 } };

describe('fs schedules', () => {
  let server: Server;
  let api: string;
  let answer: ScheduleView[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/v1/schedules') return res.end(JSON.stringify({ schedules: answer }));
      res.statusCode = 404;
      res.end(JSON.stringify({ detail: 'no such route' }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    api = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  it('prints one aligned line per schedule: timing, next due (LATE when owed), last run, last failure', async () => {
    answer = [nightly, hourly, { ...hourly, name: 'paused-one', paused: true, next_due_at: null, last_run: null }];
    const out = sink();
    expect(await runCli(['--api', api, 'schedules'], { out: out.stream, err: sink().stream, defaultApi: 'x' })).toBe(0);
    expect(out.text().split('\n')).toEqual([
      'NAME                          SCHEDULE                    NEXT DUE                       LAST RUN                                                                              LAST ERROR',
      'bnpl-materialize-full         30 2 * * * (Europe/London)  2026-12-01T02:30:00.000Z LATE  never                                                                                 2 failure(s), last at 2026-12-01T02:31:00.000Z: messaging is down',
      'bnpl-materialize-incremental  15 * * * * (Etc/UTC)        2026-12-01T11:15:00.000Z       2026-12-01T10:15:00.000Z job 6f1c2a8e-5b0d-4c3e-9a57-3d2b1f0e8c71 (caught up 3 runs)',
      'paused-one                    15 * * * * (Etc/UTC)        paused                         never',
      '',
    ]);
  });

  it("prints the API's JSON with --json, and says why the list is empty", async () => {
    answer = [hourly];
    const json = sink();
    expect(await runCli(['--api', api, 'schedules', '--json'], { out: json.stream, err: sink().stream, defaultApi: 'x' })).toBe(0);
    expect(JSON.parse(json.text())).toEqual({ schedules: [hourly] });
    answer = [];
    const empty = sink();
    expect(await runCli(['--api', api, 'schedules'], { out: empty.stream, err: sink().stream, defaultApi: 'x' })).toBe(0);
    expect(empty.text()).toMatch(/^no schedules: no batch-processor with JOB_SCHEDULES_FILE has run yet/);
  });

  it('exits 2 naming the problem when the API cannot be reached', async () => {
    const err = sink();
    expect(await runCli(['--api', 'http://127.0.0.1:1', 'schedules'], { out: sink().stream, err: err.stream, defaultApi: 'x' })).toBe(2);
    expect(err.text()).toMatch(/cannot reach the feature store API/);
  });

  it('has a header even for no rows', () => {
    expect(scheduleTable([])).toEqual(['NAME  SCHEDULE  NEXT DUE  LAST RUN  LAST ERROR']);
  });
});

describe('file paths of job requests', () => {
  it('go as given: relative to the job files root, not resolved against any directory of the caller', () => {
    expect(toJobBody('historical', { entities: 'in/rows.csv', output: 'sets/nov.parquet', service: 'credit_decision_v1', overwrite: true })).toEqual({
      kind: 'historical',
      entity_file: 'in/rows.csv',
      output_file: 'sets/nov.parquet',
      overwrite: true,
      feature_service: 'credit_decision_v1',
    });
    expect(toJobBody('historical', { entities: 'rows.csv', output: 'o.csv' })).not.toHaveProperty('overwrite');
  });
});
