import { InvalidHistoricalRequestError } from './errors/invalid-historical-request.error';
import { checkMemoryOutputSize, checkOutput } from './historical-output';
import { MAX_IN_MEMORY_ENTITY_ROWS, type HistoricalOutput } from './offline-store.port';

const file = (path: string, format = 'parquet') => ({ kind: 'file', format, path }) as HistoricalOutput;

describe('checkOutput', () => {
  it('accepts memory, tables with lower_snake_case names, local files (DuckDB) and gs:// exports with one * (BigQuery)', () => {
    expect(checkOutput({ kind: 'memory' }, 'local')).toEqual({ kind: 'memory' });
    expect(checkOutput({ kind: 'table', name: 'march_2025' }, 'gcs')).toEqual({ kind: 'table', name: 'march_2025' });
    expect(checkOutput(file('/data/sets/march.csv', 'csv'), 'local')).toEqual(file('/data/sets/march.csv', 'csv'));
    expect(checkOutput(file('gs://bnpl-training/sets/march-*.parquet'), 'gcs')).toEqual(file('gs://bnpl-training/sets/march-*.parquet'));
  });

  it.each([
    [null, 'local', 'expected { kind'],
    [{ kind: 'stdout' }, 'local', 'unknown kind'],
    [{ kind: 'table', name: 'March' }, 'local', 'lower_snake_case'],
    [{ kind: 'file', format: 'xlsx', path: '/x' }, 'local', 'file format "xlsx"'],
    [{ kind: 'file', format: 'csv', path: '' }, 'local', 'needs a path'],
    [file('s3://bucket/x.parquet'), 'local', 'local files only'],
    [file('/tmp/x.parquet'), 'gcs', 'gs://bucket/path URI'],
    [file('gs://bucket/x.parquet'), 'gcs', 'gs://bucket/path URI'],
    [file('gs://bucket/x-*-*.parquet'), 'gcs', 'gs://bucket/path URI'],
    [file("gs://bucket/x'-*.parquet"), 'gcs', 'gs://bucket/path URI'],
  ])('rejects %j for %s files', (output, files, message) => {
    expect(() => checkOutput(output as HistoricalOutput, files as 'local' | 'gcs')).toThrow(InvalidHistoricalRequestError);
    expect(() => checkOutput(output as HistoricalOutput, files as 'local' | 'gcs')).toThrow(message);
  });

  it('caps a memory output, not the others', () => {
    expect(() => checkMemoryOutputSize({ kind: 'memory' }, MAX_IN_MEMORY_ENTITY_ROWS)).not.toThrow();
    expect(() => checkMemoryOutputSize({ kind: 'memory' }, MAX_IN_MEMORY_ENTITY_ROWS + 1)).toThrow(InvalidHistoricalRequestError);
    expect(() => checkMemoryOutputSize({ kind: 'table', name: 'x' }, 10 * MAX_IN_MEMORY_ENTITY_ROWS)).not.toThrow();
  });
});
