import { describeValue, isValidName } from '@bnpl/feature-definitions';
import { InvalidHistoricalRequestError } from './errors/invalid-historical-request.error';
import { MAX_IN_MEMORY_ENTITY_ROWS, type HistoricalOutput } from './offline-store.port';

/** A `gs://bucket/path` URI with exactly one `*`, and nothing that would need quoting in SQL. */
const GCS_URI = /^gs:\/\/[a-z0-9][a-z0-9._-]{1,220}\/[^*'"\\\s]*\*[^*'"\\\s]*$/;
const URL_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * Checks an output against what the backend writes: `local` files (DuckDB) or `gcs` exports (BigQuery).
 * Throws InvalidHistoricalRequestError naming the problem.
 */
export function checkOutput(output: HistoricalOutput, files: 'local' | 'gcs'): HistoricalOutput {
  const bad = (detail: string): never => {
    throw new InvalidHistoricalRequestError(`Invalid output: ${detail}`);
  };
  if (typeof output !== 'object' || output === null) return bad(`expected { kind: 'memory' | 'file' | 'table', ... }, got ${describeValue(output)}`);
  switch (output.kind) {
    case 'memory':
      return output;
    case 'table':
      return isValidName(output.name) ? output : bad(`table name ${describeValue(output.name)} must be lower_snake_case (at most 63 characters)`);
    case 'file':
      if (output.format !== 'parquet' && output.format !== 'csv') return bad(`file format ${describeValue(output.format)} must be parquet or csv`);
      if (typeof output.path !== 'string' || output.path === '') return bad('file output needs a path');
      if (files === 'gcs' && !GCS_URI.test(output.path)) return bad(`${output.path}: this store exports to a gs://bucket/path URI with one * (e.g. gs://bucket/training/set-*.parquet)`);
      if (files === 'local' && URL_SCHEME.test(output.path)) return bad(`${output.path}: this store writes local files only`);
      return output;
    default:
      return bad(`unknown kind ${describeValue((output as { kind?: unknown }).kind)}`);
  }
}

/** A memory output holds at most MAX_IN_MEMORY_ENTITY_ROWS rows; larger sets go to a file or table. */
export function checkMemoryOutputSize(output: HistoricalOutput, rowCount: number): void {
  if (output.kind === 'memory' && rowCount > MAX_IN_MEMORY_ENTITY_ROWS) {
    throw new InvalidHistoricalRequestError(`${rowCount} entity rows is more than a memory output holds (${MAX_IN_MEMORY_ENTITY_ROWS}): write to a file or table`);
  }
}
