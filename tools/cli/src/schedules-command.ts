import type { Command } from 'commander';
import type { JobsApi, ScheduleView } from './api-client';

/**
 * `fs schedules`: the scheduled jobs the batch-processors run (GET /v1/schedules), one line each: name,
 * cron and time zone, the next due instant (marked LATE when a run is owed), the last run and its job,
 * the last failure. `--json` prints the API's answer as is.
 */
export function registerSchedulesCommand(program: Command, out: NodeJS.WritableStream, api: () => JobsApi): void {
  program
    .command('schedules')
    .description('list the scheduled jobs, their next and last runs')
    .option('--json', "print the API's JSON")
    .action(async (options: { json?: boolean }) => {
      const schedules = await api().schedules();
      if (options.json) return void out.write(`${JSON.stringify({ schedules }, null, 2)}\n`);
      if (schedules.length === 0) {
        return void out.write('no schedules: no batch-processor with JOB_SCHEDULES_FILE has run yet (in production Cloud Scheduler submits them: gcloud scheduler jobs list)\n');
      }
      for (const line of scheduleTable(schedules)) out.write(`${line}\n`);
    });
}

/** The table `fs schedules` prints, header first. */
export function scheduleTable(schedules: readonly ScheduleView[]): string[] {
  const rows = schedules.map((s) => [
    s.name,
    `${s.cron} (${s.time_zone})`,
    s.paused ? 'paused' : `${s.next_due_at ?? '-'}${s.late ? ' LATE' : ''}`,
    s.last_run ? `${s.last_run.due_at} job ${s.last_run.job_id}${s.last_run.due_runs > 1 ? ` (caught up ${s.last_run.due_runs} runs)` : ''}` : 'never',
    s.last_error ? `${s.last_error.failures} failure(s), last at ${s.last_error.at}: ${s.last_error.message}` : '',
  ]);
  const header = ['NAME', 'SCHEDULE', 'NEXT DUE', 'LAST RUN', 'LAST ERROR'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [header, ...rows].map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ').trimEnd());
}
