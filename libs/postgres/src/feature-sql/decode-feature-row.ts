import {
  FeatureComputationError,
  describeValue,
  normaliseColumnValue,
  type EntityFeatureRow,
  type FeatureValue,
  type FeatureView,
} from '@bnpl/feature-definitions';
import { CURRENCY_COLUMN, ENTITY_ID_COLUMN } from './compile-view-query';

/**
 * Maps one result row of `compileViewQuery` to the port's shape. Accepts what node-postgres returns by
 * default (int8 as string, float8 as number) and what a customised type parser might (bigint, numbers).
 * `columns` names the result column of each of `view.plan.features` when they are not named as the
 * features (`compileViewsQuery`).
 * @throws FeatureComputationError for an integer beyond 2^53 or a value of an unexpected shape.
 */
export function decodeFeatureRow(view: FeatureView, row: Readonly<Record<string, unknown>>, columns?: readonly string[]): EntityFeatureRow {
  const entityId = normaliseColumnValue('ID', row[ENTITY_ID_COLUMN], `${view.name}.${ENTITY_ID_COLUMN}`) as string | null;
  if (entityId === null) throw new FeatureComputationError('INVALID_SOURCE_VALUE', `${view.name}: result row without an entity id`);
  const currency = row[CURRENCY_COLUMN];
  const features: Record<string, FeatureValue | null> = {};
  // Built only for an error: a string per value was a tenth of a bulk materialization's CPU.
  let feature = '';
  const where = () => `${view.name}:${feature} of ${entityId}`;
  const planned = view.plan.features;
  for (let k = 0; k < planned.length; k++) {
    const f = planned[k];
    const v = row[columns ? columns[k] : f.name];
    feature = f.name;
    if (v === null || v === undefined) {
      features[f.name] = null;
      continue;
    }
    switch (f.valueType) {
      case 'INT64':
        features[f.name] = normaliseColumnValue('INT64', v, where) as number;
        break;
      case 'MONEY':
        features[f.name] =
          typeof currency === 'string' ? { amountMinor: normaliseColumnValue('MONEY_MINOR', v, where) as number, currency } : null;
        break;
      case 'DOUBLE': {
        const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : Number.NaN;
        if (!Number.isFinite(n)) throw new FeatureComputationError('INVALID_SOURCE_VALUE', `${where()}: ${describeValue(v)} is not a finite DOUBLE`);
        features[f.name] = n;
        break;
      }
      case 'STRING':
        if (typeof v !== 'string') throw new FeatureComputationError('INVALID_SOURCE_VALUE', `${where()}: ${describeValue(v)} is not a STRING`);
        features[f.name] = v;
        break;
      case 'BOOL':
        features[f.name] = normaliseColumnValue('BOOL', v, where) as boolean;
        break;
    }
  }
  return { entityId, features };
}
