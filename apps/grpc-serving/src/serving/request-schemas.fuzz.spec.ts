import fc from 'fast-check';
import { status } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { join } from 'node:path';
import { bnplCatalog, MAX_ERROR_MESSAGE_LENGTH, type FeatureRow, type SourceFeatureReader } from '@bnpl/feature-definitions';
import { InMemoryOnlineStore } from '@bnpl/online-store';
import { describeCatalog, GetOnlineFeatures } from '@bnpl/serving';
import { FEATURE_SERVING_SERVICE, SERVING_LOADER_OPTIONS, SERVING_PACKAGE, SERVING_PROTO_FILE, type GetOnlineFeaturesRequest__Output } from '@bnpl/serving-contract';
import { toGrpcStatus } from '../errors/grpc-exception.filter';
import { installRequestGuards, throwIfRejected } from '../grpc/request-guards';
import { servingSchemaOf, toGetOnlineFeaturesCommand } from './online-features.mapper';

/** Fixed, so that CI runs the same inputs every time; a failure prints the counterexample to replay. */
const SEED = 20261201;
const RUNS = 300;
const MAX = Number.MAX_SAFE_INTEGER;

/** Every customer owes an amount near the exact range, so in-range request amounts meet it. */
const source: SourceFeatureReader = {
  async readView(view, ids) {
    return ids.map((id): FeatureRow | null => {
      if (id.length > 6) return null;
      const row: Record<string, FeatureRow[string]> = {};
      for (const f of bnplCatalog.getView(view).features) row[f.name] = null;
      if (view === 'customer_exposure') row['outstanding_balance'] = { amountMinor: MAX - Number(id), currency: 'EUR' };
      return row as FeatureRow;
    });
  },
  async readViewRange() {
    throw new Error('not used by the read path');
  },
};

type Method = { requestSerialize: (m: unknown) => Buffer; requestDeserialize: (b: Buffer) => unknown };

const definition = loadSync(SERVING_PROTO_FILE, { ...SERVING_LOADER_OPTIONS, includeDirs: [join(__dirname, '../../../../proto')] });
installRequestGuards(definition);
const service = definition[`${SERVING_PACKAGE}.${FEATURE_SERVING_SERVICE}`] as unknown as Record<string, Method>;
const schema = servingSchemaOf(describeCatalog(bnplCatalog));

/** The status the filter would send for `error`: never INTERNAL for client input, details bounded. */
function expectClientStatus(error: unknown): void {
  const s = toGrpcStatus(error);
  if (s.code === status.INTERNAL) throw new Error(`INTERNAL for client input: ${error instanceof Error ? `${error.constructor.name}: ${error.message}` : String(error)}`);
  expect([status.INVALID_ARGUMENT, status.NOT_FOUND]).toContain(s.code);
  expect(s.details.length).toBeLessThanOrEqual(MAX_ERROR_MESSAGE_LENGTH);
}

const name = fc.oneof(fc.constantFrom('credit_decision_v1', 'customer_profile:*', 'credit_request:*', 'nope:x', ''), fc.string({ maxLength: 30 }));
const id = fc.oneof(fc.integer({ min: 1, max: 99 }).map(String), fc.constantFrom('0', '007', '9223372036854775808', 'abc', ''), fc.string({ maxLength: 20 }));
const value = fc.oneof(
  fc.record({ money_value: fc.record({ amount_minor: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String), currency: fc.constantFrom('EUR', 'eur', '') }) }),
  fc.record({ int64_value: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String) }),
  fc.record({ double_value: fc.double() }),
  fc.record({ string_value: fc.string({ maxLength: 10 }) }),
  fc.constant({}),
);
const request = fc.record(
  {
    feature_service: name,
    features: fc.record({ refs: fc.array(name, { maxLength: 3 }) }),
    entities: fc.array(fc.record({ keys: fc.array(fc.record({ join_key: fc.constantFrom('customer_id', 'merchant_id', 'shop_id', ''), id }), { maxLength: 3 }) }), { maxLength: 4 }),
    request_context: fc.dictionary(fc.constantFrom('requested_amount', 'amount'), value, { maxKeys: 2 }),
  },
  { requiredKeys: [] },
);

describe('gRPC requests under fuzzing (fast-check, fixed seed): bad input is INVALID_ARGUMENT naming it, never INTERNAL', () => {
  it('any bytes, to every RPC: decoded, or refused as INVALID_ARGUMENT; the deserializer never throws', () => {
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(service)), fc.uint8Array({ maxLength: 64 }), (method, bytes) => {
        const decoded = service[method].requestDeserialize(Buffer.from(bytes));
        try {
          throwIfRejected(decoded);
        } catch (error) {
          expectClientStatus(error);
        }
      }),
      { seed: SEED, numRuns: 2_000 },
    );
  });

  it('GetOnlineFeatures: any message, encoded and decoded as the server does, through the mapper and the read path', async () => {
    const read = new GetOnlineFeatures(bnplCatalog, new InMemoryOnlineStore({ catalog: bnplCatalog, namespace: 'grpc-fuzz' }), source, { streamWatermarkRefreshMs: 0 });
    const method = service['GetOnlineFeatures'];
    await fc.assert(
      fc.asyncProperty(request, async (message) => {
        const decoded = method.requestDeserialize(method.requestSerialize(message));
        try {
          await read.execute(toGetOnlineFeaturesCommand(throwIfRejected(decoded) as GetOnlineFeaturesRequest__Output, schema));
        } catch (error) {
          expectClientStatus(error);
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
    await read.close();
  });
});
