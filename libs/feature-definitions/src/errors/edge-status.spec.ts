import { EDGE_STATUS, edgeStatusOf } from './edge-status';
import { FeatureStoreError, type ErrorKind } from './feature-store.error';

class TestError extends FeatureStoreError {
  readonly reason = 'TEST';
  constructor(readonly kind: ErrorKind) {
    super(`test ${kind}`);
  }
}

describe('edgeStatusOf', () => {
  it.each([
    ['INVALID_ARGUMENT', 400, 3],
    ['NOT_FOUND', 404, 5],
    ['ALREADY_EXISTS', 409, 6],
    ['FAILED_PRECONDITION', 409, 9],
    ['UNAUTHENTICATED', 401, 16],
    ['PERMISSION_DENIED', 403, 7],
    ['RESOURCE_EXHAUSTED', 429, 8],
    ['UNAVAILABLE', 503, 14],
    ['INTERNAL', 500, 13],
  ] as const)('%s -> HTTP %i, gRPC %i', (kind, http, grpc) => {
    expect(edgeStatusOf(new TestError(kind))).toEqual({ kind, http, grpc });
  });

  it('has a status for every kind', () => {
    for (const [kind, status] of Object.entries(EDGE_STATUS)) expect(status.kind).toBe(kind);
  });

  it('treats anything that is not a FeatureStoreError as internal', () => {
    for (const thrown of [new Error('connect ECONNREFUSED 10.0.0.5:5432'), new TypeError('x is undefined'), 'a string', undefined, { statusCode: 400 }]) {
      expect(edgeStatusOf(thrown)).toEqual({ kind: 'INTERNAL', http: 500, grpc: 13 });
    }
  });

  it('treats an error of an unknown kind (a mistake in a subclass) as internal, never as a client error', () => {
    expect(edgeStatusOf(new TestError('SOMETHING_NEW' as ErrorKind)).http).toBe(500);
  });
});
