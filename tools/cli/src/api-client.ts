/** A job as the REST API returns it (`/v1/jobs`). */
export interface JobView {
  readonly id: string;
  /** The Idempotency-Key it was submitted with. */
  readonly idempotency_key?: string | null;
  readonly kind: string;
  readonly state: 'pending' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  readonly views: readonly string[];
  readonly incremental: boolean;
  readonly from: string | null;
  readonly to: string | null;
  readonly shards_total: number;
  readonly shards_done: number;
  readonly rows_done: number;
  readonly error: string | null;
  readonly created_at: string;
  readonly finished_at: string | null;
}

/** A scheduled job as the REST API returns it (`/v1/schedules`). */
export interface ScheduleView {
  readonly name: string;
  readonly description: string;
  readonly cron: string;
  readonly time_zone: string;
  readonly paused: boolean;
  readonly job: Record<string, unknown>;
  readonly next_due_at: string | null;
  readonly late: boolean;
  readonly last_run: { readonly due_at: string; readonly fired_at: string; readonly job_id: string; readonly due_runs: number } | null;
  readonly last_error: { readonly message: string; readonly at: string; readonly failures: number } | null;
}

/** An RFC 9457 problem from the API, shown to the user as is; status 0 when no answer came (unreachable, timed out). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
  ) {
    super(`HTTP ${status}: ${detail}`);
  }
}

/** Per call: extra headers, and a timeout other than the client's. */
interface CallOptions {
  readonly headers?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
}

/** The slice of the REST API the CLI uses. Every call has a timeout: a dead gateway is an error, not a hang. */
export class JobsApi {
  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs = 10_000,
    /** Sent as `x-api-key` on every call when given. */
    private readonly apiKey?: string,
  ) {}

  /** Any call of the API (the keys commands use it); rejects with ApiError as the others do. */
  send<T>(method: 'GET' | 'POST', path: string, body?: unknown, options: CallOptions = {}): Promise<T> {
    return this.#call<T>(method, path, body, options);
  }

  /** With an idempotency key, a retry returns the job the first call created (see `submitJob`). */
  submit(body: Record<string, unknown>, options: { idempotencyKey?: string; timeoutMs?: number } = {}): Promise<JobView> {
    const headers = options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : undefined;
    return this.#call<{ job: JobView }>('POST', '/v1/jobs', body, { ...(headers ? { headers } : {}), ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) }).then((r) => r.job);
  }

  get(id: string): Promise<{ job: JobView; shards: Array<Record<string, unknown>> }> {
    return this.#call('GET', `/v1/jobs/${encodeURIComponent(id)}`);
  }

  list(query: { state?: string; limit?: number; idempotencyKey?: string }): Promise<JobView[]> {
    const params = new URLSearchParams();
    if (query.state) params.set('state', query.state);
    if (query.limit) params.set('limit', String(query.limit));
    if (query.idempotencyKey) params.set('idempotency_key', query.idempotencyKey);
    return this.#call<{ jobs: JobView[] }>('GET', `/v1/jobs${params.size ? `?${params}` : ''}`).then((r) => r.jobs);
  }

  cancel(id: string): Promise<JobView> {
    return this.#call<{ job: JobView }>('POST', `/v1/jobs/${encodeURIComponent(id)}/cancel`).then((r) => r.job);
  }

  schedules(): Promise<ScheduleView[]> {
    return this.#call<{ schedules: ScheduleView[] }>('GET', '/v1/schedules').then((r) => r.schedules);
  }

  async #call<T>(method: string, path: string, body?: unknown, options: CallOptions = {}): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(this.apiKey ? { 'x-api-key': this.apiKey } : {}), ...options.headers },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(options.timeoutMs ?? this.timeoutMs),
      });
    } catch (error) {
      throw new ApiError(0, `cannot reach the feature store API at ${this.baseUrl} (${(error as Error).message})`);
    }
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (!response.ok) {
      const detail = (json as { detail?: string } | undefined)?.detail ?? text.slice(0, 500);
      throw new ApiError(response.status, response.status === 401 && !this.apiKey ? `${detail} (give the key with BNPL_API_KEY or --api-key)` : detail);
    }
    return json as T;
  }
}
