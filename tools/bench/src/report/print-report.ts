import { isSkipped } from './scenario-result';
import { type BenchReport } from './bench-report';

/** The report as text tables: scenarios, then targets, for the terminal. */
export function formatReport(report: BenchReport): string {
  const lines: string[] = [];
  const scenarioRows: string[][] = [['scenario', 'load', 'requests', 'errors', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'p99.9 ms', 'max ms', 'CPU gen %', 'CPU srv %']];
  for (const [name, outcome] of Object.entries(report.scenarios)) {
    if (isSkipped(outcome)) {
      scenarioRows.push([name, `skipped: ${outcome?.skipped ?? ''}`]);
      continue;
    }
    const load = outcome.kind === 'closed' ? `closed c=${outcome.concurrency}` : `open ${outcome.targetRateRps}/s`;
    const l = outcome.latencyMs;
    const latencies = l ? [l.p50, l.p95, l.p99, l.p999, l.max].map((v) => v.toFixed(2)) : ['-', '-', '-', '-', '-'];
    const cpu = [String(outcome.cpu.generatorPercent), String(outcome.cpu.serverPercent ?? '-')];
    scenarioRows.push([name, load, String(outcome.requests), String(outcome.errors), outcome.throughputRps.toFixed(1), ...latencies, ...cpu]);
  }
  lines.push(table(scenarioRows, (column) => column >= 2));

  for (const [name, outcome] of Object.entries(report.scenarios)) {
    if (isSkipped(outcome)) continue;
    for (const sample of outcome.errorSamples) lines.push(`  ${name} error x${sample.count}: ${sample.message}`);
    if (outcome.kind === 'open' && (outcome.schedule.late > 0 || outcome.schedule.notSent > 0)) {
      lines.push(`  ${name} generator: ${outcome.schedule.late} of ${outcome.scheduled} sent > ${outcome.schedule.lateThresholdMs} ms late (lag p99 ${outcome.schedule.sendLagMs?.p99 ?? '-'} ms), ${outcome.schedule.notSent} not sent`);
    }
  }

  const { cacheHitRatio: cache, ratios, setup } = report;
  lines.push('');
  lines.push(`REST / baseline throughput: ${ratios.restToBaselineThroughput ?? 'n/a'}`);
  if (cache) lines.push(`cache hit ratio: overall ${percent(cache.overall.value, cache.overall.reason)}, L1 ${percent(cache.l1.value, cache.l1.reason)}`);
  if (report.redisDown) {
    const d = report.redisDown;
    lines.push(`Redis down: ${d.values.compared} responses compared, ${d.values.mismatches} mismatches; ready again ${d.readyAgainAfterMs ?? 'never (30 s)'} ms after restart`);
  }
  lines.push(`prefill: ${setup.prefill.rows} rows in ${setup.prefill.seconds} s; Redis ${setup.redis.keys} keys, ${setup.redis.usedMemoryHuman}`);
  lines.push('');

  const targetRows: string[][] = [['target', 'goal', 'measured', 'result']];
  for (const t of report.targets) {
    const result = t.met === null ? 'not measured' : t.met ? 'met' : t.missedBy === null ? 'MISSED' : `MISSED by ${t.missedBy} ${t.unit === 'ratio' ? '' : t.unit}`.trimEnd();
    targetRows.push([t.name, t.target, t.measured === null ? '-' : String(t.measured), result + (t.note && t.met !== true ? ` (${t.note})` : '')]);
  }
  lines.push(table(targetRows, (column) => column === 2));
  return lines.join('\n') + '\n';
}

function percent(value: number | null, reason?: string): string {
  return value === null ? `n/a (${reason ?? 'unknown'})` : `${(value * 100).toFixed(2)} %`;
}

/**
 * Columns padded to their widest cell, numbers (`rightAligned`) to the right. A row shorter than the header
 * (a skipped scenario's reason) runs on past the column widths and does not widen them.
 */
function table(rows: string[][], rightAligned: (column: number) => boolean): string {
  const columns = rows[0].length;
  const widths: number[] = new Array<number>(columns).fill(0);
  for (const row of rows) if (row.length === columns) row.forEach((cell, i) => (widths[i] = Math.max(widths[i], cell.length)));
  const pad = (cell: string, i: number, row: string[]) => {
    if (row.length < columns && i === row.length - 1) return cell;
    return rightAligned(i) ? cell.padStart(widths[i]) : cell.padEnd(widths[i]);
  };
  return rows.map((row) => row.map((cell, i) => pad(cell, i, row)).join('  ').trimEnd()).join('\n');
}
