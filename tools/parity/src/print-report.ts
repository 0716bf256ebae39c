import type { ParityMismatch, ParityReport } from '@bnpl/parity';

/** JSON with bigints (MONEY amounts a driver may return) as decimal strings; Dates as ISO strings. */
export function toJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), indent);
}

/** The human summary: what was checked, mismatching rows by feature, totals, a few examples, a verdict. */
export function formatReport(report: ParityReport): string {
  const where = report.store;
  const lines: string[] = [];
  const scope = report.idsGiven === null ? `ids ${report.fromId}..${report.toId}` : `${report.idsGiven} given ids in ${report.fromId}..${report.toId}`;
  const asOf = report.asOf ? `as of ${report.asOf.toISOString()}` : 'each row as of its own event date';
  const store = report.store === 'offline' ? "the offline history's latest rows" : 'the online store';
  lines.push(`Parity check of ${store}: ${report.entity} ${scope}, ${report.views.length} view(s): ${report.views.join(', ')}; ${asOf}`, '');

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
    [`missing ${report.store}`, String(report.missingOnline)],
    [`orphaned ${report.store}`, `${report.orphanedOnline}${report.idsGiven === null ? ' (looked for among --ids only)' : ''}`],
    ['stale-date rows', `${report.staleDateRows} (event date before today)`],
    ['rows by event date', dates.length ? dates.join(', ') : '-'],
  ];
  for (const [label, value] of totals) lines.push(`${label.padEnd(20)}${value}`);

  if (report.samples.length > 0) {
    lines.push('', `examples (${report.samples.length}):`);
    for (const s of report.samples) lines.push(`  ${formatSample(report.entity, s, where)}`);
  }
  lines.push(
    '',
    report.consistent
      ? `OK: ${store} matches the source for ${report.rowsChecked} rows`
      : `MISMATCH: ${report.mismatchedRows} of ${report.rowsChecked} rows differ${report.orphanedOnline ? `, ${report.orphanedOnline} orphaned ${report.store}` : ''}`,
  );
  return `${lines.join('\n')}\n`;
}

function formatSample(entity: string, s: ParityMismatch, where: ParityReport['store']): string {
  const who = `${entity} ${s.entityId} ${s.view}`;
  switch (s.kind) {
    case 'missing-online':
      return `${who}: nothing stored ${where}`;
    case 'orphaned-online':
      return `${who}: stored ${where} (event time ${s.eventTime?.toISOString()}) but not in the source`;
    default:
      return `${who}:${s.feature}: expected ${toJson(s.expected)}, ${where} ${toJson(s.online)} (event time ${s.eventTime?.toISOString()})`;
  }
}
