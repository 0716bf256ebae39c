import type { ParityMismatch, ParityReport } from '@bnpl/parity';

/** JSON with bigints (MONEY amounts a driver may return) as decimal strings; Dates as ISO strings. */
export function toJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), indent);
}

/** The human summary: what was checked, mismatching rows by feature, totals, a few examples, a verdict. */
export function formatReport(report: ParityReport): string {
  const lines: string[] = [];
  const scope = report.idsGiven === null ? `ids ${report.fromId}..${report.toId}` : `${report.idsGiven} given ids in ${report.fromId}..${report.toId}`;
  const asOf = report.asOf ? `as of ${report.asOf.toISOString()}` : 'each row as of its own event date';
  lines.push(`Parity check of ${report.entity} ${scope}, ${report.views.length} view(s): ${report.views.join(', ')}; ${asOf}`, '');

  const features = Object.entries(report.byFeature);
  if (features.length === 0) {
    lines.push('No feature differs.');
  } else {
    const width = Math.max('feature'.length, ...features.map(([f]) => f.length));
    lines.push(`${'feature'.padEnd(width)}  mismatching rows`);
    for (const [feature, rows] of features) lines.push(`${feature.padEnd(width)}  ${String(rows).padStart('mismatching rows'.length)}`);
  }
  lines.push('');

  const dates = Object.entries(report.rowsByEventDate).map(([d, n]) => `${d}: ${n}`);
  const totals: Array<[string, string]> = [
    ['entities checked', String(report.entitiesChecked)],
    ['rows checked', String(report.rowsChecked)],
    ['mismatched rows', String(report.mismatchedRows)],
    ['missing online', String(report.missingOnline)],
    ['orphaned online', `${report.orphanedOnline}${report.idsGiven === null ? ' (looked for among --ids only)' : ''}`],
    ['stale-date rows', `${report.staleDateRows} (event date before today)`],
    ['rows by event date', dates.length ? dates.join(', ') : '-'],
  ];
  for (const [label, value] of totals) lines.push(`${label.padEnd(20)}${value}`);

  if (report.samples.length > 0) {
    lines.push('', `examples (${report.samples.length}):`);
    for (const s of report.samples) lines.push(`  ${formatSample(report.entity, s)}`);
  }
  lines.push(
    '',
    report.consistent
      ? `OK: the online store matches the source for ${report.rowsChecked} rows`
      : `MISMATCH: ${report.mismatchedRows} of ${report.rowsChecked} rows differ${report.orphanedOnline ? `, ${report.orphanedOnline} orphaned online` : ''}`,
  );
  return `${lines.join('\n')}\n`;
}

function formatSample(entity: string, s: ParityMismatch): string {
  const who = `${entity} ${s.entityId} ${s.view}`;
  switch (s.kind) {
    case 'missing-online':
      return `${who}: nothing stored online`;
    case 'orphaned-online':
      return `${who}: stored online (event time ${s.eventTime?.toISOString()}) but not in the source`;
    default:
      return `${who}:${s.feature}: expected ${toJson(s.expected)}, online ${toJson(s.online)} (event time ${s.eventTime?.toISOString()})`;
  }
}
