import type { FeatureView } from '../model/catalog';
import type { SourceDefinition } from '../model/source';
import type { FeatureRow } from '../model/value-type';
import { normaliseColumnValue, type SourceRow } from './column-value';
import { computeFeatureViewFromRows, type RowsBySource } from './compute-feature-view';
import { asOfDayNumber } from './window';

/** A row as the source says it was at `instantMs`, or null when it did not exist yet (see `SourceHistory`). */
function rowAt(source: SourceDefinition, row: SourceRow, instantMs: number, asOfDay: number): SourceRow | null {
  const history = source.history;
  const created = history?.createdAt;
  if (created !== undefined) {
    const at = normaliseColumnValue('TIMESTAMP', row[created], `${source.name}.${created}`);
    if (at === null || (at as number) > instantMs) return null;
  }
  const rebuilt = Object.entries(history?.rebuilt ?? {});
  if (rebuilt.length === 0) return row;
  const out: Record<string, unknown> = { ...row };
  for (const [column, rule] of rebuilt) {
    const paidAt = normaliseColumnValue('TIMESTAMP', row[rule.paidAt], `${source.name}.${rule.paidAt}`);
    const due = normaliseColumnValue('DATE', row[rule.dueDate], `${source.name}.${rule.dueDate}`);
    const paid = paidAt !== null && (paidAt as number) <= instantMs;
    const pastDue = due !== null && (due as number) < asOfDay;
    if (rule.rule === 'instalment_status') {
      const status = row[column];
      if (paid) out[column] = 'paid';
      else if (status === 'paid' || status === 'scheduled' || status === 'overdue') out[column] = pastDue ? 'overdue' : 'scheduled';
    } else if (!paid) {
      out[column] = pastDue ? asOfDay - (due as number) : 0;
    }
  }
  return out;
}

/**
 * The reference of backfills (`PointInTimeSourceReader`): one entity's view as of a past `instant` from
 * its rows as they are today, keeping only what the sources' history can tell (see `FeatureView.backfill`):
 * null when the entity was created after `instant`; aggregates over the rows that existed then, with
 * rebuilt columns as they were; `null` for every feature whose past the source does not keep.
 *
 * The entity row must carry its table's creation column. Arguments as `computeFeatureViewFromRows`.
 */
export function computeViewAtFromRows(view: FeatureView, entityRow: SourceRow | null, rowsBySource: RowsBySource, instant: Date): FeatureRow | null {
  const asOfDay = asOfDayNumber(instant);
  const ms = instant.getTime();
  const entity = entityRow && rowAt(view.entity.source, entityRow, ms, asOfDay);
  if (!entity) return null;
  const rows: Record<string, SourceRow[]> = {};
  for (const { source } of view.plan.sources) {
    rows[source.name] = (rowsBySource[source.name] ?? []).map((r) => rowAt(source, r, ms, asOfDay)).filter((r): r is SourceRow => r !== null);
  }
  const values = computeFeatureViewFromRows(view, entity, rows, instant);
  if (!values) return null;
  return Object.fromEntries(view.features.map((f) => [f.name, view.backfill[f.name].mode === 'none' ? null : values[f.name]]));
}
