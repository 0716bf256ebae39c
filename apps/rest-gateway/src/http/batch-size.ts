import { MAX_ENTITY_ROWS } from '@bnpl/serving';
import { InvalidRequestBodyError } from '../errors/invalid-request-body.error';

/**
 * Refuses a body whose entity rows are too many before it is validated: a 1 MiB body holds hundreds of
 * thousands of small rows, and validating each one only to refuse the count costs seconds of CPU. Reads
 * only array lengths, in O(1). `rows` gives the arrays to measure, each with the path to name (the
 * native body's `entities`, each of a Feast body's entity columns). The message is the one the schema
 * gives for the same count.
 */
export function refuseOversizedBatch(body: unknown, rows: (body: Record<string, unknown>) => ReadonlyArray<readonly [string, unknown]>): void {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return;
  for (const [path, value] of rows(body as Record<string, unknown>)) {
    if (Array.isArray(value) && value.length > MAX_ENTITY_ROWS) {
      throw new InvalidRequestBodyError('INVALID_REQUEST_BODY', `Invalid request body: ${path}: at most ${MAX_ENTITY_ROWS} entity rows per request, got ${value.length}`);
    }
  }
}

/** The native batch read's rows: `entities`. */
export const nativeEntityRows = (body: Record<string, unknown>) => [['entities', body['entities']]] as const;

/** A Feast read's rows: every column of `entities` (one value per row). */
export function feastEntityColumns(body: Record<string, unknown>): ReadonlyArray<readonly [string, unknown]> {
  const entities = body['entities'];
  if (typeof entities !== 'object' || entities === null || Array.isArray(entities)) return [];
  return Object.entries(entities).map(([name, column]) => [`entities.${name}`, column] as const);
}
