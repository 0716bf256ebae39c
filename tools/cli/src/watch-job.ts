import { SingleBar } from 'cli-progress';
import type { JobsApi, JobView } from './api-client';

const FINISHED = new Set(['succeeded', 'failed', 'cancelled']);

/**
 * Follows a job until it finishes: a progress bar of shards on a terminal, a line per change otherwise.
 * Resolves with the finished job.
 */
export async function watchJob(api: JobsApi, id: string, out: NodeJS.WritableStream & { isTTY?: boolean }, intervalMs = 500): Promise<JobView> {
  const bar = out.isTTY
    ? new SingleBar({ stream: out, format: ' {state} |{bar}| {value}/{total} shards | {rows} rows | {rate} rows/s | ETA {eta_formatted}', hideCursor: true, fps: 5 })
    : null;
  const started = Date.now();
  let last = '';
  let barStarted = false;
  for (;;) {
    const { job } = await api.get(id);
    const payload = { state: job.state.padEnd(9), rows: job.rows_done.toLocaleString('en'), rate: Math.round(job.rows_done / Math.max(0.001, (Date.now() - started) / 1000)).toLocaleString('en') };
    if (bar) {
      if (!barStarted && job.shards_total > 0) {
        bar.start(job.shards_total, job.shards_done, payload);
        barStarted = true;
      } else if (barStarted) bar.update(job.shards_done, payload);
    } else {
      const line = `${job.state} ${job.shards_done}/${job.shards_total} shards, ${job.rows_done} rows`;
      if (line !== last) out.write(`${line}\n`);
      last = line;
    }
    if (FINISHED.has(job.state)) {
      bar?.stop();
      return job;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
