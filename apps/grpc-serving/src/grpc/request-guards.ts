import type { PackageDefinition } from '@grpc/proto-loader';
import { Reader } from 'protobufjs';
import { InvalidFeatureRequestError, MAX_ENTITY_ROWS } from '@bnpl/serving';
import { FEATURE_SERVING_SERVICE, SERVING_PACKAGE } from '@bnpl/serving-contract';

/**
 * What a guarded deserializer hands the handler instead of a request it refused: grpc-js answers any
 * error a deserializer throws with INTERNAL, so the refusal travels as a value and the handler throws it
 * (`throwIfRejected`), through the one exception filter, as INVALID_ARGUMENT with its reason.
 */
export class RejectedRequest {
  constructor(readonly error: InvalidFeatureRequestError) {}
}

/** Throws the refusal a guarded deserializer made; otherwise returns the request, typed. */
export function throwIfRejected<T>(request: T): Exclude<T, RejectedRequest> {
  if (request instanceof RejectedRequest) throw request.error;
  return request as Exclude<T, RejectedRequest>;
}

/** Field number of `repeated EntityRow entities` in GetOnlineFeaturesRequest (serving.proto). */
const ENTITIES_FIELD = 3;
const LENGTH_DELIMITED = 2;

/**
 * Walks the top-level fields of an encoded message, each skipped by its length, never decoded, and counts
 * those numbered `countField` (length-delimited). Throws on bytes that are not protobuf: a field running past
 * the end, a bad wire type. protobufjs's decoder is lenient there (a string whose length runs past the end
 * decodes to what is left), so this walk is also what makes a truncated message a refusal.
 */
export function countFields(bytes: Uint8Array, countField: number): number {
  const reader = Reader.create(bytes);
  let rows = 0;
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    const wireType = tag & 7;
    if (tag >>> 3 === countField && wireType === LENGTH_DELIMITED) rows++;
    reader.skipType(wireType);
  }
  return rows;
}

type Deserialize = (bytes: Buffer) => unknown;

/**
 * Makes every FeatureServingService method of a server loaded from `definition` refuse bad bytes as the
 * proto promises, INVALID_ARGUMENT rather than grpc-js's INTERNAL:
 * - bytes that are not a protobuf message, or do not decode as the request's (UNDECODABLE_REQUEST);
 * - GetOnlineFeatures with more than MAX_ENTITY_ROWS entities (TOO_MANY_ENTITY_ROWS), counted before
 *   anything is decoded: a 4 MiB message can hold a million empty rows, which would take seconds to decode
 *   only to be refused.
 * Call before the definition is given to the server (NestJS: `onLoadPackageDefinition`).
 */
export function installRequestGuards(definition: PackageDefinition): void {
  const servicePath = `${SERVING_PACKAGE}.${FEATURE_SERVING_SERVICE}`;
  const service = definition[servicePath] as Record<string, { requestDeserialize: Deserialize; requestType?: { type?: { name?: string } } }> | undefined;
  if (!service) throw new Error(`${servicePath} is not in the package definition`);
  for (const [method, definitionOfMethod] of Object.entries(service)) {
    const decode = definitionOfMethod.requestDeserialize;
    const countRows = method === 'GetOnlineFeatures';
    definitionOfMethod.requestDeserialize = (bytes: Buffer) => {
      try {
        const rows = countFields(bytes, ENTITIES_FIELD);
        if (countRows) {
          // The read path's own words for the same refusal.
          if (rows > MAX_ENTITY_ROWS) {
            return new RejectedRequest(new InvalidFeatureRequestError('TOO_MANY_ENTITY_ROWS', `Too many entity rows: ${rows}, at most ${MAX_ENTITY_ROWS} per request`));
          }
        }
        return decode(bytes);
      } catch (error) {
        return new RejectedRequest(
          new InvalidFeatureRequestError('UNDECODABLE_REQUEST', `The request is not a valid ${method}Request message: ${(error as Error).message}`),
        );
      }
    };
  }
}
