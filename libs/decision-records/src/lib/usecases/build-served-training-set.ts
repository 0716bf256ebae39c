import type { FeatureValue } from '@bnpl/feature-definitions';
import { InvalidDecisionQueryError } from '../errors/invalid-decision-query.error';
import { decodeRecordBody } from '../record/canonical-record';
import type { DecisionStore } from '../store/decision-store.port';

export type TrainingCell = string | number | boolean | null;

export interface ServedTrainingSetOptions {
  /** Decisions served in [from, to) ... */
  readonly from: Date;
  readonly to: Date;
  /** ... with this feature service (one version: its features never change meaning). */
  readonly featureService: string;
  /** Only decisions whose repayment is labelled (default: every decision with an outcome). */
  readonly labelledOnly?: boolean;
}

/**
 * "Log and wait": a training set made of the vectors actually served, joined with the outcomes the risk
 * engine posted and the repayment labels it added later. No point-in-time join is involved, so nothing
 * from after a decision can leak into its row: each value is what the model saw.
 *
 * One row per (decision, entity row) with an outcome: `decision_id`, `served_at`, the entity ids, per
 * feature `<view>__<feature>` (MONEY as `__amount_minor` and `__currency`) and `__status`, then
 * `decision`, `reason_codes` (`|`-separated), `repayment`. Yields the header first, then rows.
 */
export async function* servedTrainingSet(store: DecisionStore, options: ServedTrainingSetOptions): AsyncIterable<readonly TrainingCell[]> {
  if (!(options.from < options.to)) throw new InvalidDecisionQueryError('"from" must be before "to"');
  let header: { features: readonly string[]; money: boolean[]; joinKeys: string[] } | null = null;
  for await (const page of store.scan(options.from, options.to)) {
    const records = page.map((r) => decodeRecordBody(r.body)).filter((r) => r.featureService === options.featureService);
    if (records.length === 0) continue;
    const outcomes = await store.getOutcomes(records.map((r) => r.decisionId));
    for (const record of records) {
      const outcome = outcomes.get(record.decisionId);
      if (!outcome || (options.labelledOnly && outcome.repayment === null)) continue;
      if (!header) {
        const first = record.rows[0];
        header = { features: record.featureNames, money: record.featureNames.map((_, j) => typeof first?.values[j]?.value === 'object'), joinKeys: Object.keys(first?.entityRow ?? {}).sort() };
        yield [
          'decision_id',
          'served_at',
          ...header.joinKeys,
          ...header.features.flatMap((f, j) => {
            const column = f.replace(':', '__');
            return header?.money[j] ? [`${column}__amount_minor`, `${column}__currency`, `${column}__status`] : [column, `${column}__status`];
          }),
          'decision',
          'reason_codes',
          'repayment',
        ];
      }
      if (record.featureNames.join(',') !== header.features.join(',')) continue;
      for (const row of record.rows) {
        yield [
          record.decisionId,
          record.servedAt.toISOString(),
          ...header.joinKeys.map((k) => row.entityRow[k] ?? null),
          ...row.values.flatMap((v, j) => (header?.money[j] ? [...money(v.value), v.status] : [scalar(v.value), v.status])),
          outcome.decision,
          outcome.reasonCodes.join('|'),
          outcome.repayment,
        ];
      }
    }
  }
}

function money(value: FeatureValue): [TrainingCell, TrainingCell] {
  return typeof value === 'object' ? [value.amountMinor, value.currency] : [null, null];
}

function scalar(value: FeatureValue): TrainingCell {
  return typeof value === 'object' ? `${value.amountMinor} ${value.currency}` : value;
}
