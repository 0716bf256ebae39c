/** Polls `probe` until it returns a truthy value (returned) or `timeoutMs` passes (throws with `what`). */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 15_000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${(lastError as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** GET a URL and parse JSON; resolves with status and body, never throws on HTTP errors. */
export async function getJson(url: string, timeoutMs = 5_000): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON: keep the text */
  }
  return { status: response.status, body };
}

/** A job as `GET /v1/jobs/{id}` answers it (the fields tests look at). */
export interface JobAnswer {
  job: { id: string; state: string; shards_total: number; shards_done: number; rows_done: number; error: string | null };
  shards: Array<{ no: number; state: string; checkpoint_id: string | null; attempts: number; as_of: string; entity: string }>;
}

/** Polls rest-gateway's `GET /v1/jobs/{id}` until the job has succeeded, failed or been cancelled. */
export function waitForJob(api: string, id: string, timeoutMs = 90_000): Promise<JobAnswer> {
  return waitFor(
    `job ${id} to finish`,
    async () => {
      const answer = (await getJson(`${api}/v1/jobs/${id}`)).body as JobAnswer;
      return ['succeeded', 'failed', 'cancelled'].includes(answer.job.state) ? answer : null;
    },
    timeoutMs,
    200,
  );
}
