import type { CatalogProblem, CatalogProblemReason } from '../errors/catalog-validation.error';
import type { EntityDefinition } from './entity';
import type { FeatureServiceDefinition } from './feature-service';
import { isValidName, parseFeatureRef } from './feature-ref';
import { WINDOW_DAYS, type AggregateSpec, type AnyFeatureDefinition, type FeatureViewDefinition, type RatioOperand } from './feature-view';
import type { Predicate } from './predicate';
import type { RequestFeatureViewDefinition } from './request-feature-view';
import { ColumnType, isNumericColumnType, isTemporalColumnType, type SourceDefinition } from './source';
import { VALUE_TYPES, describeValue, isValueOfType, type ValueType } from './value-type';

/** Everything a catalog is made of. */
export interface CatalogDefinition {
  readonly entities: readonly EntityDefinition[];
  readonly sources: readonly SourceDefinition[];
  readonly views: readonly FeatureViewDefinition[];
  readonly requestViews?: readonly RequestFeatureViewDefinition[];
  readonly services?: readonly FeatureServiceDefinition[];
}

const COLUMN_TYPES: readonly string[] = Object.values(ColumnType);
const PREDICATE_OPS: readonly string[] = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'is_null', 'not_null'];

/** Which column types an attribute of each value type may read. */
const ATTRIBUTE_COLUMN_TYPES: Record<ValueType, readonly ColumnType[]> = {
  INT64: ['INT64'],
  DOUBLE: [],
  STRING: ['STRING', 'ID'],
  BOOL: ['BOOL'],
  MONEY: ['MONEY_MINOR'],
};

/** A source's declared history names its own columns, of the types its rules need. */
function checkHistory(subject: string, source: SourceDefinition, report: (subject: string, reason: CatalogProblemReason, message: string) => void): void {
  const { createdAt, datedRowsExisted, immutable = [], rebuilt = {} } = source.history ?? {};
  const typed = (what: string, column: string, types: readonly string[]) => {
    const col = source.columns[column];
    if (!col) report(subject, 'UNKNOWN_COLUMN', `history: ${what} "${column}" is not a column of ${source.name}`);
    else if (!types.includes(col.type)) report(subject, 'COLUMN_TYPE_MISMATCH', `history: ${what} "${column}" must be ${types.join(' or ')}, not ${col.type}`);
  };
  if (createdAt !== undefined) typed('creation column', createdAt, ['TIMESTAMP']);
  if (datedRowsExisted && source.timeColumn === undefined) report(subject, 'WINDOW_WITHOUT_TIME_COLUMN', 'history: datedRowsExisted needs a time column');
  for (const column of immutable) typed('immutable column', column, Object.values(ColumnType));
  for (const [column, rule] of Object.entries(rebuilt)) {
    if (immutable.includes(column)) report(subject, 'INVALID_COMPUTATION', `history: "${column}" is declared both immutable and rebuilt`);
    const expected = rule.rule === 'instalment_status' ? ['STRING'] : rule.rule === 'instalment_days_late' ? ['INT64'] : [];
    if (expected.length === 0) report(subject, 'INVALID_COMPUTATION', `history: unknown rule ${describeValue(rule.rule)} for "${column}"`);
    else typed(`rebuilt column (${rule.rule})`, column, expected);
    typed('paid-at column', rule.paidAt, ['TIMESTAMP']);
    typed('due-date column', rule.dueDate, ['DATE']);
  }
}

/**
 * Checks a catalog definition and returns every problem found (empty when valid). Checks that depend on
 * something already reported as broken (e.g. columns of an unknown source) are skipped rather than
 * reported twice.
 */
export function validateCatalog(def: CatalogDefinition): CatalogProblem[] {
  const problems: CatalogProblem[] = [];
  const report = (subject: string, reason: CatalogProblemReason, message: string) =>
    problems.push({ subject, reason, message });

  // --- names and duplicates, first, so later checks can look things up
  const unique = <T extends { name: string }>(items: readonly T[], kind: string, dup: CatalogProblemReason) => {
    const map = new Map<string, T>();
    for (const item of items) {
      if (!isValidName(item.name)) report(`${kind} ${String(item.name)}`, 'INVALID_NAME', `${kind} name must be lower_snake_case (at most 63 characters)`);
      if (map.has(item.name)) report(`${kind} ${item.name}`, dup, `${kind} "${item.name}" is defined more than once`);
      else map.set(item.name, item);
    }
    return map;
  };
  const sources = unique(def.sources, 'source', 'DUPLICATE_SOURCE');
  const entities = unique(def.entities, 'entity', 'DUPLICATE_ENTITY');
  const requestViews = def.requestViews ?? [];
  const services = def.services ?? [];
  // Stored and request-time views share one namespace: both are addressed as `view:feature`.
  const allViews = unique<{ name: string }>([...def.views, ...requestViews], 'view', 'DUPLICATE_VIEW');
  unique(services, 'service', 'DUPLICATE_SERVICE');

  // --- sources
  for (const source of sources.values()) {
    const subject = `source ${source.name}`;
    for (const [name, col] of Object.entries(source.columns)) {
      if (!isValidName(name)) report(subject, 'INVALID_NAME', `column "${name}" must be lower_snake_case`);
      if (!COLUMN_TYPES.includes(col.type)) report(subject, 'COLUMN_TYPE_MISMATCH', `column "${name}" has unknown type ${describeValue(col.type)}`);
      if (col.values !== undefined && (col.type !== 'STRING' || col.values.length === 0 || col.values.some((v) => typeof v !== 'string'))) {
        report(subject, 'COLUMN_TYPE_MISMATCH', `column "${name}": a list of values needs a STRING column and at least one string`);
      }
    }
    for (const [entityName, keyColumn] of Object.entries(source.keys)) {
      if (!entities.has(entityName)) report(subject, 'UNKNOWN_ENTITY', `key for unknown entity "${entityName}"`);
      const col = source.columns[keyColumn];
      if (!col) report(subject, 'UNKNOWN_COLUMN', `key column "${keyColumn}" (for ${entityName}) is not a column of ${source.name}`);
      else if (col.type !== 'ID') report(subject, 'COLUMN_TYPE_MISMATCH', `key column "${keyColumn}" must be of type ID, not ${col.type}`);
    }
    if (source.timeColumn !== undefined) {
      const col = source.columns[source.timeColumn];
      if (!col) report(subject, 'UNKNOWN_COLUMN', `time column "${source.timeColumn}" is not a column of ${source.name}`);
      else if (!isTemporalColumnType(col.type)) report(subject, 'COLUMN_TYPE_MISMATCH', `time column "${source.timeColumn}" must be DATE or TIMESTAMP, not ${col.type}`);
    }
    if (source.history !== undefined) checkHistory(subject, source, report);
  }

  // --- entities
  for (const entity of entities.values()) {
    const subject = `entity ${entity.name}`;
    if (!isValidName(entity.joinKey)) report(subject, 'INVALID_NAME', `join key "${entity.joinKey}" must be lower_snake_case`);
    const table = sources.get(entity.table);
    if (!table) {
      report(subject, 'UNKNOWN_SOURCE', `table "${entity.table}" is not a declared source`);
      continue;
    }
    if (table.keys[entity.name] === undefined) report(subject, 'ENTITY_SOURCE_NOT_KEYED', `source "${table.name}" declares no key for entity "${entity.name}"`);
    if (entity.currencyColumn !== undefined) {
      const col = table.columns[entity.currencyColumn];
      if (!col) report(subject, 'UNKNOWN_COLUMN', `currency column "${entity.currencyColumn}" is not a column of ${table.name}`);
      else if (col.type !== 'STRING') report(subject, 'COLUMN_TYPE_MISMATCH', `currency column "${entity.currencyColumn}" must be STRING`);
    }
  }
  const entityTable = (name: string): SourceDefinition | undefined => {
    const e = entities.get(name);
    return e ? sources.get(e.table) : undefined;
  };

  // --- predicates
  const checkPredicate = (subject: string, source: SourceDefinition, p: Predicate): void => {
    if (p.op === 'and' || p.op === 'or') {
      if (!Array.isArray(p.predicates) || p.predicates.length === 0) report(subject, 'INVALID_PREDICATE', `"${p.op}" needs at least one operand`);
      else p.predicates.forEach((q) => checkPredicate(subject, source, q));
      return;
    }
    if (!PREDICATE_OPS.includes(p.op)) {
      report(subject, 'INVALID_PREDICATE', `unknown predicate operator ${describeValue(p.op)}`);
      return;
    }
    const col = source.columns[p.column];
    if (!col) {
      report(subject, 'UNKNOWN_COLUMN', `predicate column "${p.column}" is not a column of ${source.name}`);
      return;
    }
    if (p.op === 'is_null' || p.op === 'not_null') return;
    if (p.op === 'in' && (!Array.isArray(p.values) || p.values.length === 0)) {
      report(subject, 'INVALID_PREDICATE', `"in" on "${p.column}" needs at least one value`);
      return;
    }
    const literals = p.op === 'in' ? p.values : [p.value];
    const ordering = p.op === 'gt' || p.op === 'gte' || p.op === 'lt' || p.op === 'lte';
    if (ordering && !isNumericColumnType(col.type)) {
      report(subject, 'PREDICATE_TYPE_MISMATCH', `"${p.op}" needs a numeric column; "${p.column}" is ${col.type}`);
      return;
    }
    for (const literal of literals) {
      const ok =
        isNumericColumnType(col.type) ? Number.isSafeInteger(literal)
        : col.type === 'STRING' ? typeof literal === 'string'
        : col.type === 'BOOL' ? typeof literal === 'boolean'
        : false; // ID, DATE and TIMESTAMP columns only take is_null / not_null
      if (!ok) {
        report(subject, 'PREDICATE_TYPE_MISMATCH', `"${p.op}" compares ${col.type} column "${p.column}" with ${describeValue(literal)}`);
      } else if (col.values && !col.values.includes(literal as string)) {
        report(subject, 'UNKNOWN_PREDICATE_VALUE', `${describeValue(literal)} is not a value of "${p.column}" (${col.values.join(', ')})`);
      }
    }
  };

  // --- aggregates: returns the result type, or undefined when broken
  const checkAggregate = (subject: string, entity: string | undefined, spec: AggregateSpec): 'INT64' | 'MONEY' | undefined => {
    const source = sources.get(spec.source);
    if (!source) {
      report(subject, 'UNKNOWN_SOURCE', `aggregate over unknown source "${spec.source}"`);
      return undefined;
    }
    let ok = true;
    if (entity !== undefined && entities.has(entity) && source.keys[entity] === undefined) {
      report(subject, 'SOURCE_NOT_KEYED_BY_ENTITY', `source "${source.name}" has no key for entity "${entity}"`);
      ok = false;
    }
    let result: 'INT64' | 'MONEY' = 'INT64';
    if (spec.fn === 'count') {
      if (spec.column !== undefined) {
        report(subject, 'UNEXPECTED_AGGREGATE_COLUMN', `count takes no column (use count_distinct to count values of "${spec.column}")`);
        ok = false;
      }
    } else if (spec.fn === 'sum' || spec.fn === 'max' || spec.fn === 'count_distinct') {
      const col = spec.column === undefined ? undefined : source.columns[spec.column];
      if (spec.column === undefined) {
        report(subject, 'MISSING_AGGREGATE_COLUMN', `${spec.fn} needs a column of ${source.name}`);
        ok = false;
      } else if (!col) {
        report(subject, 'UNKNOWN_COLUMN', `column "${spec.column}" is not a column of ${source.name}`);
        ok = false;
      } else if (spec.fn === 'count_distinct') {
        // SQL keeps microseconds, JS Dates milliseconds: distinct instants could differ between the two.
        if (col.type === 'TIMESTAMP') {
          report(subject, 'COLUMN_TYPE_MISMATCH', `count_distinct over TIMESTAMP column "${spec.column}" is not exact in JS`);
          ok = false;
        }
      } else {
        if (!isNumericColumnType(col.type)) {
          report(subject, 'NON_NUMERIC_AGGREGATE_COLUMN', `${spec.fn} needs a numeric column; "${spec.column}" is ${col.type}`);
          ok = false;
        } else if (col.type === 'MONEY_MINOR') result = 'MONEY';
      }
    } else {
      report(subject, 'INVALID_COMPUTATION', `unknown aggregate function ${describeValue(spec.fn)}`);
      ok = false;
    }
    if (spec.windowDays !== undefined) {
      if (!(WINDOW_DAYS as readonly number[]).includes(spec.windowDays)) {
        report(subject, 'INVALID_WINDOW', `window of ${describeValue(spec.windowDays)} days; allowed: ${WINDOW_DAYS.join(', ')}`);
        ok = false;
      }
      if (source.timeColumn === undefined) {
        report(subject, 'WINDOW_WITHOUT_TIME_COLUMN', `source "${source.name}" has no time column to window over`);
        ok = false;
      }
    }
    if (spec.where !== undefined) {
      const before = problems.length;
      checkPredicate(subject, source, spec.where);
      if (problems.length > before) ok = false;
    }
    return ok ? result : undefined;
  };

  const checkValueAndDefault = (subject: string, f: { valueType: ValueType; default: unknown }): boolean => {
    if (!VALUE_TYPES.includes(f.valueType)) {
      report(subject, 'VALUE_TYPE_MISMATCH', `unknown value type ${describeValue(f.valueType)}`);
      return false;
    }
    if (!isValueOfType(f.valueType, f.default)) {
      report(subject, 'INVALID_DEFAULT', `default ${describeValue(f.default)} is not a valid ${String(f.valueType)}` +
        (f.valueType === 'MONEY' ? ' (integer amountMinor and an ISO 4217 currency)' : ''));
    }
    return true;
  };

  // --- stored views
  for (const view of def.views) {
    const vs = `view ${view.name}`;
    const entity = entities.get(view.entity);
    if (!entity) report(vs, 'UNKNOWN_ENTITY', `unknown entity "${view.entity}"`);
    const table = entityTable(view.entity);
    if (!Number.isSafeInteger(view.ttlSeconds) || view.ttlSeconds <= 0) report(vs, 'INVALID_TTL', `TTL must be a positive whole number of seconds, got ${describeValue(view.ttlSeconds)}`);
    if (!Array.isArray(view.features) || view.features.length === 0) {
      report(vs, 'EMPTY_VIEW', 'a view needs at least one feature');
      continue;
    }
    const byName = new Map<string, AnyFeatureDefinition>();
    for (const f of view.features) {
      if (!isValidName(f.name)) report(`${view.name}:${String(f.name)}`, 'INVALID_NAME', 'feature name must be lower_snake_case');
      if (byName.has(f.name)) report(`${view.name}:${f.name}`, 'DUPLICATE_FEATURE', `feature "${f.name}" is defined more than once in view ${view.name}`);
      else byName.set(f.name, f);
    }
    // Result type of each non-ratio feature, for ratio operands.
    for (const f of view.features) {
      const subject = `${view.name}:${f.name}`;
      if (!checkValueAndDefault(subject, f)) continue;
      if (f.valueType === 'MONEY' && entity && entity.currencyColumn === undefined) {
        report(subject, 'MONEY_WITHOUT_CURRENCY', `entity "${entity.name}" has no currency column, so it cannot have MONEY features`);
      }
      const c = f.compute;
      const mismatch = (actual: string) =>
        report(subject, 'VALUE_TYPE_MISMATCH', `declared ${f.valueType} but the computation yields ${actual}`);
      switch (c?.kind) {
        case 'attribute':
        case 'age_days': {
          if (!table) break;
          const col = table.columns[c.column];
          if (!col) {
            report(subject, 'UNKNOWN_COLUMN', `column "${c.column}" is not a column of ${table.name}`);
          } else if (c.kind === 'age_days') {
            if (!isTemporalColumnType(col.type)) report(subject, 'COLUMN_TYPE_MISMATCH', `age_days needs a DATE or TIMESTAMP column; "${c.column}" is ${col.type}`);
            if (f.valueType !== 'INT64') mismatch('INT64');
          } else if (!ATTRIBUTE_COLUMN_TYPES[f.valueType as ValueType].includes(col.type)) {
            report(subject, 'COLUMN_TYPE_MISMATCH', `a ${f.valueType} attribute cannot read ${col.type} column "${c.column}"`);
          }
          break;
        }
        case 'aggregate': {
          const result = checkAggregate(subject, view.entity, c);
          if (result && result !== f.valueType) mismatch(result);
          break;
        }
        case 'ratio': {
          if (f.valueType !== 'DOUBLE' && f.valueType !== 'MONEY') mismatch('DOUBLE or MONEY');
          const operandType = (side: string, o: RatioOperand): string | undefined => {
            if (o?.kind === 'aggregate') return checkAggregate(subject, view.entity, o);
            if (o?.kind !== 'feature') {
              report(subject, 'INVALID_RATIO_OPERAND', `${side} must be an aggregate or a feature of ${view.name}`);
              return undefined;
            }
            const target = byName.get(o.feature);
            if (!target) {
              report(subject, 'UNKNOWN_FEATURE', `${side} references unknown feature "${view.name}:${o.feature}"`);
              return undefined;
            }
            if (target.compute?.kind === 'ratio') {
              report(subject, 'INVALID_RATIO_OPERAND', `${side} "${o.feature}" is itself a ratio (or this feature); use its operands`);
              return undefined;
            }
            if (target.valueType !== 'INT64' && target.valueType !== 'MONEY') {
              report(subject, 'INVALID_RATIO_OPERAND', `${side} "${o.feature}" is ${target.valueType}; operands must be INT64 or MONEY`);
              return undefined;
            }
            return target.valueType;
          };
          const n = operandType('numerator', c.numerator);
          const d = operandType('denominator', c.denominator);
          if (f.valueType === 'MONEY' && n !== undefined && d !== undefined && (n !== 'MONEY' || d !== 'INT64')) {
            report(subject, 'INVALID_RATIO_OPERAND', `a MONEY ratio (an average amount) divides MONEY by INT64, not ${n} by ${d}`);
          }
          break;
        }
        default:
          report(subject, 'INVALID_COMPUTATION', `unknown computation ${describeValue((c as { kind?: unknown } | undefined)?.kind)}`);
      }
    }
  }

  // --- request-time views
  const storedViews = new Map(def.views.map((v) => [v.name, v]));
  const checkRead = (subject: string, ref: string, what: string): void => {
    const parsed = parseFeatureRef(ref);
    if (!parsed || parsed.feature === '*') {
      report(subject, 'INVALID_FEATURE_REF', `${what} "${String(ref)}" is not of the form view:feature`);
      return;
    }
    const view = storedViews.get(parsed.view);
    if (!view) report(subject, 'UNKNOWN_FEATURE_VIEW', `${what} "${ref}" names no stored feature view`);
    else if (!view.features.some((f) => f.name === parsed.feature)) report(subject, 'UNKNOWN_FEATURE', `${what} "${ref}" names no feature of ${view.name}`);
  };
  for (const rv of requestViews) {
    const vs = `request_view ${rv.name}`;
    if (!Array.isArray(rv.features) || rv.features.length === 0) {
      report(vs, 'EMPTY_VIEW', 'a request view needs at least one feature');
      continue;
    }
    const names = new Set<string>();
    const inputTypes = new Map<string, ValueType>();
    for (const f of rv.features) {
      const subject = `${rv.name}:${f.name}`;
      if (!isValidName(f.name)) report(subject, 'INVALID_NAME', 'feature name must be lower_snake_case');
      if (names.has(f.name)) report(subject, 'DUPLICATE_FEATURE', `feature "${f.name}" is defined more than once in ${rv.name}`);
      names.add(f.name);
      checkValueAndDefault(subject, f);
      if (typeof f.compute !== 'function') report(subject, 'INVALID_COMPUTATION', 'a request-time feature needs a compute function');
      for (const [input, type] of Object.entries(f.inputs ?? {})) {
        if (!isValidName(input)) report(subject, 'INVALID_NAME', `request input "${input}" must be lower_snake_case`);
        if (!VALUE_TYPES.includes(type as ValueType)) report(subject, 'VALUE_TYPE_MISMATCH', `request input "${input}" has unknown type ${describeValue(type)}`);
        const seen = inputTypes.get(input);
        if (seen !== undefined && seen !== type) report(subject, 'REQUEST_INPUT_CONFLICT', `request input "${input}" is ${type} here but ${seen} elsewhere in ${rv.name}`);
        inputTypes.set(input, seen ?? (type as ValueType));
      }
      for (const ref of f.reads ?? []) checkRead(subject, ref, 'read');
    }
  }

  // --- services
  for (const s of services) {
    const subject = `service ${s.name}`;
    if (!Number.isSafeInteger(s.version) || s.version < 1 || !String(s.name).endsWith(`_v${s.version}`)) {
      report(subject, 'INVALID_SERVICE_VERSION', `version must be a positive integer and the name must end with "_v<version>" (version ${describeValue(s.version)})`);
    }
    if (!Array.isArray(s.features) || s.features.length === 0) {
      report(subject, 'EMPTY_SERVICE', 'a service needs at least one feature reference');
      continue;
    }
    const seen = new Set<string>();
    for (const ref of s.features) {
      const parsed = parseFeatureRef(ref);
      if (!parsed) {
        report(subject, 'INVALID_FEATURE_REF', `"${String(ref)}" is not of the form view:feature or view:*`);
        continue;
      }
      const view = allViews.get(parsed.view) as { features: readonly { name: string }[] } | undefined;
      if (!view) {
        report(subject, 'UNKNOWN_FEATURE_VIEW', `"${ref}" names no feature view`);
        continue;
      }
      const names = parsed.feature === '*' ? view.features.map((f) => f.name) : [parsed.feature];
      for (const name of names) {
        if (!view.features.some((f) => f.name === name)) {
          report(subject, 'UNKNOWN_FEATURE', `"${ref}" names no feature of ${parsed.view}`);
          continue;
        }
        const full = `${parsed.view}:${name}`;
        if (seen.has(full)) report(subject, 'DUPLICATE_FEATURE_REF', `"${full}" is included more than once (via "${ref}")`);
        seen.add(full);
      }
    }
  }

  return problems;
}
