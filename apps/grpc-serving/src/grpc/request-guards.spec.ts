import { loadSync } from '@grpc/proto-loader';
import { join } from 'node:path';
import { InvalidFeatureRequestError } from '@bnpl/serving';
import { FEATURE_SERVING_SERVICE, SERVING_LOADER_OPTIONS, SERVING_PACKAGE, SERVING_PROTO_FILE } from '@bnpl/serving-contract';
import { countFields, installRequestGuards, RejectedRequest, throwIfRejected } from './request-guards';

type Method = { requestSerialize: (m: unknown) => Buffer; requestDeserialize: (b: Buffer) => unknown };

function guardedService(): Record<string, Method> {
  const definition = loadSync(SERVING_PROTO_FILE, { ...SERVING_LOADER_OPTIONS, includeDirs: [join(__dirname, '../../../../proto')] });
  installRequestGuards(definition);
  return definition[`${SERVING_PACKAGE}.${FEATURE_SERVING_SERVICE}`] as unknown as Record<string, Method>;
}

const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ keys: [{ join_key: 'customer_id', id: String(i + 1) }] }));

describe('installRequestGuards', () => {
  const service = guardedService();
  const get = service['GetOnlineFeatures'];

  it('decodes a valid request as before', () => {
    const bytes = get.requestSerialize({ feature_service: 'credit_decision_v1', entities: rows(2) });
    expect(get.requestDeserialize(bytes)).toMatchObject({ feature_service: 'credit_decision_v1', entities: rows(2) });
  });

  it('refuses bytes that are not the message, for every method, as INVALID_ARGUMENT', () => {
    const notTheMessage = [
      ['a length past the end', [0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]],
      ['a truncated field', [0x0a, 0x05, 0x01]],
      ['a bad wire type', [0x0f, 0x01]],
    ] as const;
    for (const [name, method] of Object.entries(service)) for (const [, bytes] of notTheMessage) {
      const rejected = method.requestDeserialize(Buffer.from(bytes));
      expect(rejected).toBeInstanceOf(RejectedRequest);
      const error = (rejected as RejectedRequest).error;
      expect({ kind: error.kind, reason: error.reason }).toEqual({ kind: 'INVALID_ARGUMENT', reason: 'UNDECODABLE_REQUEST' });
      expect(error.message).toContain(`not a valid ${name}Request message`);
    }
  });

  it('counts entities without decoding them and refuses more than 1000 at once', () => {
    const bytes = get.requestSerialize({ features: { refs: ['customer_profile:country'] }, entities: rows(100_000) });
    const started = performance.now();
    const rejected = get.requestDeserialize(bytes) as RejectedRequest;
    expect(performance.now() - started).toBeLessThan(500);
    expect(rejected.error.reason).toBe('TOO_MANY_ENTITY_ROWS');
    expect(rejected.error.message).toBe('Too many entity rows: 100000, at most 1000 per request');
    expect(countFields(get.requestSerialize({ entities: rows(1000) }), 3)).toBe(1000);
    expect(get.requestDeserialize(get.requestSerialize({ entities: rows(1000) }))).not.toBeInstanceOf(RejectedRequest);
  });
});

describe('throwIfRejected', () => {
  it('throws the refusal and passes a request through', () => {
    const error = new InvalidFeatureRequestError('UNDECODABLE_REQUEST', 'bad bytes');
    expect(() => throwIfRejected(new RejectedRequest(error))).toThrow(error);
    expect(throwIfRejected({ name: 'x' })).toEqual({ name: 'x' });
  });
});
