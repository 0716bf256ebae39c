import { type EntityRow, type GetOnlineFeaturesCommand } from '@bnpl/serving';
import { InvalidRequestBodyError } from '../errors/invalid-request-body.error';
import { type FeastRequest } from './feast.schema';

/** An entity key column as the request gave it: echoed first in the response, as Feast does. */
export interface FeastKeyColumn {
  readonly name: string;
  readonly values: ReadonlyArray<string | number>;
}

export interface FeastQuery {
  readonly command: GetOnlineFeaturesCommand;
  readonly keyColumns: readonly FeastKeyColumn[];
  readonly fullFeatureNames: boolean;
}

const invalid = (message: string) => new InvalidRequestBodyError('INVALID_REQUEST_BODY', message);

/**
 * A validated Feast request -> the read path's command. `columnOrder` is the order of the request's
 * entity columns (validation output follows the schema's order; Feast answers in the request's).
 * Columns named by `joinKeys` are entity ids; the others are request data, which must be the same in
 * every row, because the read path computes request-time features once per request.
 */
export function toFeastQuery(request: FeastRequest, columnOrder: readonly string[], joinKeys: readonly string[]): FeastQuery {
  const entities = request.entities as Readonly<Record<string, readonly unknown[] | undefined>>;
  const columns = columnOrder.flatMap((name) => {
    const values = entities[name];
    return values === undefined ? [] : [{ name, values }];
  });
  const rowCount = columns[0]?.values.length ?? 0;
  const uneven = columns.find((c) => c.values.length !== rowCount);
  if (uneven) {
    throw invalid(`entities: every column needs one value per entity row, but ${columns[0].name} has ${rowCount} and ${uneven.name} has ${uneven.values.length}`);
  }
  // Join key columns passed entityIdSchema: strings or integers.
  const keyColumns = columns.filter((c) => joinKeys.includes(c.name)) as FeastKeyColumn[];
  const requestContext: Record<string, unknown> = {};
  for (const { name, values } of columns.filter((c) => !joinKeys.includes(c.name))) {
    const first = JSON.stringify(values[0]);
    const row = values.findIndex((v) => JSON.stringify(v) !== first);
    if (row >= 0) throw invalid(`entities.${name}: request data must be the same in every entity row (it is computed once per request), but row ${row} differs from row 0`);
    if (rowCount > 0) requestContext[name] = values[0];
  }
  const entityRows = Array.from({ length: rowCount }, (_, row): EntityRow => Object.fromEntries(keyColumns.map((c) => [c.name, String(c.values[row])])));
  return {
    command: {
      ...(request.feature_service != null ? { featureService: request.feature_service } : {}),
      ...(request.features != null ? { features: request.features } : {}),
      entityRows,
      ...(Object.keys(requestContext).length > 0 ? { requestContext } : {}),
    },
    keyColumns,
    fullFeatureNames: request.full_feature_names,
  };
}
