import { type ClosedLoopSummary } from '../load/closed-loop';
import { type ScenarioResult } from './scenario-result';
import { evaluateTargets, type TargetResult } from './targets';

function result(overrides: Partial<ClosedLoopSummary> & { p99?: number; server?: string }): ScenarioResult {
  const { p99 = 1, ...rest } = overrides;
  return {
    kind: 'closed',
    concurrency: 32,
    windowMs: 10_000,
    requests: 1_000,
    ok: 1_000,
    errors: 0,
    errorSamples: [],
    throughputRps: 100,
    latencyMs: { p50: 0.5, p95: 0.8, p99, p999: 2, max: 3, mean: 0.6 },
    server: 'rest-gateway',
    protocol: 'http',
    entitiesPerCall: 1,
    cpu: { generatorPercent: 50, serverPercent: 100 },
    ...rest,
  };
}

const byName = (targets: TargetResult[]) => Object.fromEntries(targets.map((t) => [t.name, t]));

describe('evaluateTargets', () => {
  it('marks met targets and says by how much the others are missed', () => {
    const targets = byName(
      evaluateTargets({
        scenarios: {
          'baseline-rest-closed': result({ throughputRps: 10_000, server: 'fastify-baseline' }),
          'rest-closed': result({ throughputRps: 6_000 }),
          'rest-open-half': result({ p99: 4.2 }),
          'grpc1-open-half': result({ p99: 3.5 }),
          'grpc100-open-half': result({ p99: 15 }),
          'rest-redis-down-open': result({ errors: 0 }),
        },
        cacheHit: { overall: { value: 0.995 }, l1: { value: 0.9 }, deltas: {} },
        redisDownValues: { compared: 500, mismatches: 2, mismatchSamples: ['customer 7: customer_exposure:utilization 0.5 != 0.6'] },
      }),
    );
    expect(targets['rest-throughput-vs-baseline']).toMatchObject({ target: '>= 0.7', measured: 0.6, met: false, missedBy: 0.1 });
    expect(targets['rest-open-half-p99']).toMatchObject({ target: '<= 5', measured: 4.2, met: true, missedBy: null });
    expect(targets['grpc1-open-half-p99']).toMatchObject({ measured: 3.5, met: false, missedBy: 0.5 });
    expect(targets['grpc100-open-half-p99']).toMatchObject({ measured: 15, met: true });
    expect(targets['cache-hit-ratio']).toMatchObject({ measured: 0.995, met: true });
    expect(targets['rest-redis-down-errors']).toMatchObject({ measured: 0, met: true });
    expect(targets['rest-redis-down-value-mismatches']).toMatchObject({ measured: 2, met: false, missedBy: 2 });
    expect(targets['rest-redis-down-value-mismatches'].note).toContain('500 responses compared');
    const clean = byName(evaluateTargets({ scenarios: { 'rest-redis-down-open': result({}) }, cacheHit: null, redisDownValues: { compared: 10, mismatches: 0, mismatchSamples: [] } }));
    expect(clean['rest-redis-down-value-mismatches']).toMatchObject({ measured: 0, met: true, note: '10 responses compared' });
  });

  it('does not call a latency met when requests failed, and reports all-failed runs', () => {
    const failing = result({ errors: 10, requests: 1_000, ok: 990, p99: 1, errorSamples: [{ message: 'HTTP 503', count: 10 }] });
    const allFailed = result({ errors: 50, ok: 0, requests: 50, latencyMs: null, errorSamples: [{ message: 'gRPC UNIMPLEMENTED: nope', count: 50 }] });
    const targets = byName(evaluateTargets({ scenarios: { 'rest-open-half': failing, 'grpc1-open-half': allFailed }, cacheHit: null, redisDownValues: null }));
    expect(targets['rest-open-half-p99']).toMatchObject({ measured: 1, met: false, missedBy: null });
    expect(targets['rest-open-half-p99'].note).toContain('10 of 1000 requests failed (HTTP 503)');
    expect(targets['grpc1-open-half-p99']).toMatchObject({ measured: null, met: false });
    expect(targets['grpc1-open-half-p99'].note).toContain('UNIMPLEMENTED');
  });

  it('leaves targets whose scenario did not run unmeasured, with the reason', () => {
    const targets = byName(
      evaluateTargets({
        scenarios: { 'rest-closed': result({}), 'grpc100-open-half': { skipped: 'grpc100-closed had no successful request' } },
        cacheHit: { overall: { value: null, reason: 'rest-gateway: GET /metrics answered 404' }, l1: { value: null }, deltas: {} },
        redisDownValues: null,
      }),
    );
    expect(targets['rest-throughput-vs-baseline']).toMatchObject({ measured: null, met: null, note: 'needs both rest-closed and baseline-rest-closed' });
    expect(targets['grpc100-open-half-p99']).toMatchObject({ met: null, note: 'grpc100-closed had no successful request' });
    expect(targets['cache-hit-ratio']).toMatchObject({ measured: null, met: null, note: 'rest-gateway: GET /metrics answered 404' });
    expect(targets['rest-redis-down-errors']).toMatchObject({ met: null, note: 'scenario rest-redis-down-open not run' });
  });
});
