import { ApiError, type JobsApi, type JobView } from './api-client';

export interface SubmitJobOptions {
  /** POSTs at most (the first and the retries). Default 3. */
  readonly attempts?: number;
  /** How long one POST may take: planning a large job takes a while. Default 60 s. */
  readonly timeoutMs?: number;
  /** Waits between attempts (exponential from this). Default 1 s. */
  readonly backoffMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** No answer, or the gateway failed: the job may or may not have been created. */
const answerLost = (error: unknown) => error instanceof ApiError && (error.status === 0 || error.status >= 500);

/**
 * Submits a job under `idempotencyKey` (one key per logical submission) and never reports a failure for a
 * job that exists: when an answer is lost (a timeout, a dropped connection, a 5xx), it first looks the
 * job up by its key, and submits again with the same key only when none is found, which the API answers
 * with the first job if the earlier call did create it after all. A refusal (4xx) is final at once.
 */
export async function submitJob(api: JobsApi, body: Record<string, unknown>, idempotencyKey: string, options: SubmitJobOptions = {}): Promise<JobView> {
  const attempts = options.attempts ?? 3;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let last: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      return await api.submit(body, { idempotencyKey, timeoutMs: options.timeoutMs ?? 60_000 });
    } catch (error) {
      if (!answerLost(error)) throw error;
      last = error;
    }
    try {
      const [job] = await api.list({ idempotencyKey, limit: 1 });
      if (job) return job;
    } catch (error) {
      if (!answerLost(error)) throw error;
    }
    if (attempt < attempts) await sleep((options.backoffMs ?? 1_000) * 2 ** (attempt - 1));
  }
  const detail = last instanceof ApiError ? last.detail : String(last);
  throw new ApiError(
    last instanceof ApiError ? last.status : 0,
    `no answer after ${attempts} tries (last: ${detail}), and no job with idempotency key ${idempotencyKey} was found. ` +
      `Submitting again with --idempotency-key ${idempotencyKey} cannot create a second job.`,
  );
}
