import { type BenchReport } from './bench-report';
import { formatReport } from './print-report';
import { evaluateTargets } from './targets';

const scenarios: BenchReport['scenarios'] = {
  'rest-closed': {
    kind: 'closed',
    concurrency: 32,
    windowMs: 10_000,
    requests: 50_000,
    ok: 50_000,
    errors: 0,
    errorSamples: [],
    throughputRps: 5_000,
    latencyMs: { p50: 5.5, p95: 8, p99: 12.25, p999: 20, max: 31, mean: 6 },
    server: 'rest-gateway',
    protocol: 'http',
    entitiesPerCall: 1,
    cpu: { generatorPercent: 61.5, serverPercent: 99.1 },
  },
  'grpc1-closed': {
    kind: 'closed',
    concurrency: 32,
    windowMs: 10_000,
    requests: 900,
    ok: 0,
    errors: 900,
    errorSamples: [{ message: 'gRPC UNIMPLEMENTED: not yet', count: 900 }],
    throughputRps: 0,
    latencyMs: null,
    server: 'grpc-serving',
    protocol: 'grpc',
    entitiesPerCall: 1,
    cpu: { generatorPercent: 40, serverPercent: null },
  },
  'grpc1-open-half': { skipped: 'grpc1-closed had no successful request' },
};

const report: BenchReport = {
  benchmark: 'serving',
  command: 'npm run bench:serving --',
  startedAt: '2026-01-01T00:00:00.000Z',
  finishedAt: '2026-01-01T00:05:00.000Z',
  machine: { cpuModel: 'cpu', cpuCount: 2, memoryGiB: 24, os: 'Linux', node: 'v20', loadAverageAtStart: 0.1 },
  parameters: {
    customers: 100_000,
    durationSeconds: 10,
    warmupSeconds: 3,
    concurrency: 32,
    zipfExponent: 0.99,
    seed: 1,
    reportPath: '/r.json',
    scenarios: ['rest-closed', 'grpc1-closed', 'grpc1-open-half'],
    merchants: 500,
    l1Cache: { maxEntries: 200_000, ttlMs: 1_000 },
  },
  setup: {
    sourceRows: { customers: 100_000, merchants: 500, orders: 1, installments: 1, payments: 1 },
    generationSeconds: null,
    prefill: { entities: 100_500, rows: 400_500, seconds: 19, rowsPerSecond: 21_000 },
    redis: { keys: 100_500, usedMemoryBytes: 34_000_000, usedMemoryHuman: '32.81M' },
  },
  scenarios,
  ratios: { restToBaselineThroughput: null },
  cacheHitRatio: { overall: { value: 0.9999 }, l1: { value: null, reason: 'no L1 lookups counted during the load' }, deltas: {} },
  redisDown: null,
  targets: evaluateTargets({ scenarios, cacheHit: null, redisDownValues: null }),
  serviceLogTail: {},
};

describe('formatReport', () => {
  it('prints a scenario table, errors, ratios and targets', () => {
    const text = formatReport(report);
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^scenario\s+load\s+requests\s+errors\s+req\/s\s+p50 ms/);
    expect(lines[1]).toMatch(/^rest-closed\s+closed c=32\s+50000\s+0\s+5000\.0\s+5\.50\s+8\.00\s+12\.25\s+20\.00\s+31\.00\s+61\.5\s+99\.1$/);
    expect(text).toMatch(/grpc1-closed\s+closed c=32\s+900\s+900\s+0\.0\s+-/);
    expect(text).toMatch(/^grpc1-open-half +skipped: grpc1-closed had no successful request$/m);
    expect(text).toContain('grpc1-closed error x900: gRPC UNIMPLEMENTED: not yet');
    expect(text).toContain('cache hit ratio: overall 99.99 %, L1 n/a (no L1 lookups counted during the load)');
    expect(text).toMatch(/rest-open-half-p99\s+<= 5\s+-\s+not measured/);
  });
});
