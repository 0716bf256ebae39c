import { maskAddresses } from '../logging/mask-addresses';
/** One dependency's answer to a readiness probe. */
export interface CheckResult {
  readonly name: string;
  readonly up: boolean;
  /** The check's details when up; `{ message }` when down. */
  readonly details: Readonly<Record<string, unknown>>;
  /**
   * The service still serves without it, worse (e.g. the online store of a read path that falls back to
   * PostgreSQL): down makes the service degraded, not unready.
   */
  readonly degradable: boolean;
}

type Entry = Readonly<Record<string, unknown>> & { readonly status: 'up' | 'down' };

/** `/health/ready`'s body: terminus's shape (`status`, `info`, `error`, `details`), plus `degraded`. */
export interface ReadinessBody {
  readonly status: 'ok' | 'error';
  /** Dependencies that are down without making the service unready; empty when nothing is degraded. */
  readonly degraded: readonly string[];
  readonly info: Readonly<Record<string, Entry>>;
  readonly error: Readonly<Record<string, Entry>>;
  readonly details: Readonly<Record<string, Entry>>;
}

export interface ReadinessVerdict {
  /** Ready: every dependency that is not degradable answers (orchestrators keep sending traffic). */
  readonly ready: boolean;
  readonly degraded: readonly string[];
  /**
   * `/health/ready`'s body, unauthenticated: each dependency up or down, nothing else (no host, position,
   * lag or driver message: whoever can reach the port learns only what an orchestrator needs).
   */
  readonly body: ReadinessBody;
  /** `/health/details`' body: the same with each check's details, and why a dependency is down (addresses masked). */
  readonly detailed: ReadinessBody;
}

/**
 * Ready unless a dependency the service cannot serve without is down; degraded while a degradable one is
 * down (ready, with `degraded` naming it, so that orchestrators keep a replica that still answers every
 * request and people still see that something is wrong).
 */
export function readinessVerdict(results: readonly CheckResult[]): ReadinessVerdict {
  const ready = results.every((r) => r.up || r.degradable);
  const degraded = ready ? results.filter((r) => !r.up).map((r) => r.name) : [];
  const body = (entry: (r: CheckResult) => Entry): ReadinessBody => ({
    status: ready ? 'ok' : 'error',
    degraded,
    info: Object.fromEntries(results.filter((r) => r.up).map((r) => [r.name, entry(r)])),
    error: Object.fromEntries(results.filter((r) => !r.up).map((r) => [r.name, entry(r)])),
    details: Object.fromEntries(results.map((r) => [r.name, entry(r)])),
  });
  const status = (r: CheckResult): 'up' | 'down' => (r.up ? 'up' : 'down');
  return {
    ready,
    degraded,
    body: body((r) => ({ status: status(r) })),
    detailed: body((r) => {
      const details = { ...r.details };
      if (typeof details['message'] === 'string') details['message'] = maskAddresses(details['message']).slice(0, 300);
      return { ...details, status: status(r) };
    }),
  };
}
