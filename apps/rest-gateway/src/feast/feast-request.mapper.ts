import { type FeatureValue } from '@bnpl/feature-definitions';
import { type EntityRow, type GetOnlineFeaturesCommand } from '@bnpl/serving';
import { InvalidRequestBodyError } from '../errors/invalid-request-body.error';
import { fromRequestInputs } from '../http/values.mapper';
import { type FeastRequest } from './feast.schema';

/** A join key column of the request, its values converted to canonical decimal ids: one per request row. */
export interface FeastKeyColumn {
  readonly name: string;
  readonly ids: readonly string[];
}

/**
 * A Feast request as the read path takes it. Repeated entity rows are read once, as Feast reads each
 * distinct entity once: `command.entityRows` holds the distinct rows, and `rowOf[i]` is the distinct row
 * that request row `i` is answered from.
 */
export interface FeastQuery {
  readonly command: GetOnlineFeaturesCommand;
  /** Echoed first in the response, in request order, as Feast echoes the join keys it was given. */
  readonly keyColumns: readonly FeastKeyColumn[];
  readonly rowOf: readonly number[];
  readonly fullFeatureNames: boolean;
}

const invalid = (message: string) => new InvalidRequestBodyError('INVALID_REQUEST_BODY', message);

/** An INT64 entity value as the schema let it through -> a decimal id ("0042" is 42, as Feast converts it). */
function toEntityId(value: string | number): string {
  return typeof value === 'number' ? String(value) : BigInt(value).toString();
}

/**
 * A validated Feast request -> the read path's query. `columnOrder` is the order of the request's entity
 * columns (validation output follows the schema's order; Feast answers in the request's). Columns named
 * by `joinKeys` are entity ids; the other known columns are request data, which must be the same in every
 * row because the read path computes request-time features once per request. A feature service wins over
 * a feature list, as in Feast's server.
 */
export function toFeastQuery(request: FeastRequest, columnOrder: readonly string[], joinKeys: readonly string[]): FeastQuery {
  const entities = request.entities as Readonly<Record<string, readonly unknown[] | undefined>>;
  const columns = [...new Set(columnOrder)].flatMap((name) => {
    const values = entities[name];
    return values === undefined ? [] : [{ name, values }];
  });
  const rowCount = columns[0]?.values.length ?? 0;
  const uneven = columns.find((c) => c.values.length !== rowCount);
  if (uneven) {
    throw invalid(`entities: every column needs one value per entity row, but ${columns[0].name} has ${rowCount} and ${uneven.name} has ${uneven.values.length}`);
  }
  const keyColumns = columns.filter((c) => joinKeys.includes(c.name)).map((c) => ({ name: c.name, ids: (c.values as Array<string | number>).map(toEntityId) }));
  const { entityRows, rowOf } = distinctRows(keyColumns, rowCount);
  const requestContext = requestData(columns.filter((c) => !joinKeys.includes(c.name)));
  const selection = request.feature_service != null ? { featureService: request.feature_service } : request.features != null ? { features: request.features } : {};
  return {
    command: { ...selection, entityRows, ...(Object.keys(requestContext).length > 0 ? { requestContext } : {}) },
    keyColumns,
    rowOf,
    fullFeatureNames: request.full_feature_names,
  };
}

/** The distinct entity rows, in order of first appearance, and for each request row the distinct row it repeats. */
function distinctRows(keyColumns: readonly FeastKeyColumn[], rowCount: number): { entityRows: EntityRow[]; rowOf: number[] } {
  const entityRows: EntityRow[] = [];
  const indexOf = new Map<string, number>();
  const rowOf: number[] = [];
  for (let row = 0; row < rowCount; row++) {
    // Ids are decimal digits, so a space never occurs inside one.
    const key = keyColumns.map((c) => c.ids[row]).join(' ');
    let index = indexOf.get(key);
    if (index === undefined) {
      index = entityRows.length;
      indexOf.set(key, index);
      entityRows.push(Object.fromEntries(keyColumns.map((c) => [c.name, c.ids[row]])));
    }
    rowOf.push(index);
  }
  return { entityRows, rowOf };
}

/** Request data columns -> the request context; each must hold one value, repeated in every row. */
function requestData(columns: ReadonlyArray<{ name: string; values: readonly unknown[] }>): Record<string, FeatureValue> {
  const context: Record<string, FeatureValue> = {};
  for (const { name, values } of columns) {
    const converted = values.map((value) => fromRequestInputs({ [name]: value })[name]);
    const first = JSON.stringify(converted[0]);
    const row = converted.findIndex((v) => JSON.stringify(v) !== first);
    if (row >= 0) throw invalid(`entities.${name}: request data must be the same in every entity row (it is computed once per request), but row ${row} differs from row 0`);
    if (converted.length > 0) context[name] = converted[0];
  }
  return context;
}
