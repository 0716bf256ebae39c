import { FeatureStoreError } from './feature-store.error';
import { edgeStatusOf } from './edge-status';

class TestError extends FeatureStoreError {
  constructor(readonly reason: string) {
    super(`test ${reason}`);
  }
}

describe('edgeStatusOf', () => {
  it.each([
    ['UNKNOWN_FEATURE', 400, 3],
    ['INVALID_ENTITY_ID', 400, 3],
    ['TOO_MANY_ENTITY_ROWS', 400, 3],
    ['FEATURES_UNAVAILABLE', 503, 14],
    ['SOURCE_DATABASE_UNAVAILABLE', 503, 14],
    ['VALUE_OUT_OF_RANGE', 500, 13],
  ])('%s -> HTTP %i, gRPC %i', (reason, http, grpc) => {
    expect(edgeStatusOf(new TestError(reason))).toEqual({ http, grpc });
  });
});
