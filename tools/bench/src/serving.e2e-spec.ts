import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, OutputTail } from '@bnpl/service-launchers';
import { WORKSPACE_ROOT } from '@bnpl/testing';
import { type BenchReport } from './report/bench-report';
import { isSkipped } from './report/scenario-result';

function runBench(args: string[]) {
  const tail = new OutputTail(200_000);
  const child = spawn(process.execPath, ['-r', join(WORKSPACE_ROOT, 'tools/register.cjs'), join(WORKSPACE_ROOT, 'tools/bench/src/serving.ts'), ...args], {
    cwd: WORKSPACE_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (c: Buffer) => tail.push(c));
  child.stderr.on('data', (c: Buffer) => tail.push(c));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { output: () => tail.toString(), exited };
}

// A smoke run of the whole benchmark on a tiny dataset: the report's shape and that REST is served without
// errors. No timing assertion: CI machines' figures mean nothing.
describe('serving benchmark (bench:serving)', () => {
  const dir = makeTempDir('bnpl-bench-e2e-');
  afterAll(() => dir.remove());

  it('runs the REST scenarios against the real stack and writes the report', async () => {
    const reportPath = join(dir.path, 'report.json');
    const bench = runBench(['--customers', '300', '--duration', '1', '--warmup', '0', '--scenarios', 'rest-closed,baseline-rest-closed', '--report', reportPath]);
    const code = await bench.exited;
    if (code !== 0) throw new Error(`bench exited ${code}:\n${bench.output()}`);

    const report = JSON.parse(readFileSync(reportPath, 'utf8')) as BenchReport;
    expect(report.benchmark).toBe('serving');
    expect(report.command).toContain('--customers 300');
    expect(report.machine.cpuCount).toBeGreaterThan(0);
    expect(report.parameters).toMatchObject({ customers: 300, durationSeconds: 1, warmupSeconds: 0, scenarios: ['baseline-rest-closed', 'rest-closed'] });
    expect(report.setup.sourceRows.customers).toBe(300);
    expect(report.setup.prefill.rows).toBeGreaterThan(300);
    expect(report.setup.redis.keys).toBe(300 + report.parameters.merchants);
    expect(Object.keys(report.scenarios)).toEqual(['baseline-rest-closed', 'rest-closed']);
    for (const name of ['baseline-rest-closed', 'rest-closed'] as const) {
      const scenario = report.scenarios[name];
      if (isSkipped(scenario)) throw new Error(`${name} was skipped`);
      expect(scenario.requests).toBeGreaterThan(0);
      expect(scenario.errors).toBe(0);
      expect(scenario.latencyMs).toEqual({ p50: expect.any(Number), p95: expect.any(Number), p99: expect.any(Number), p999: expect.any(Number), max: expect.any(Number), mean: expect.any(Number) });
    }
    expect(report.ratios.restToBaselineThroughput).toEqual(expect.any(Number));
    expect(report.targets.map((t) => t.name)).toContain('rest-throughput-vs-baseline');
    for (const target of report.targets) expect(Object.keys(target)).toEqual(expect.arrayContaining(['target', 'measured', 'met', 'missedBy']));
    expect(report.targets.find((t) => t.name === 'rest-redis-down-errors')).toMatchObject({ met: null });
    expect(bench.output()).toContain('rest-throughput-vs-baseline');
  });

  it('rejects bad flags with usage text and exit code 2', async () => {
    const bench = runBench(['--customers', 'lots']);
    expect(await bench.exited).toBe(2);
    expect(bench.output()).toContain('--customers must be an integer >= 100, got "lots"');
    expect(bench.output()).toContain('Usage: npm run bench:serving');
  });
});
