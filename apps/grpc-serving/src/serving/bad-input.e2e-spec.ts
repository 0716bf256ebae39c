import { credentials, loadPackageDefinition, Client, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { join } from 'node:path';
import { MAX_ERROR_MESSAGE_LENGTH } from '@bnpl/feature-definitions';
import {
  SERVING_LOADER_OPTIONS,
  SERVING_PROTO_FILE,
  type FeatureServingServiceClient,
  type GetOnlineFeaturesRequest,
  type GetOnlineFeaturesResponse__Output,
  type ServingProtoGrpcType,
} from '@bnpl/serving-contract';
import {
  BAD_INPUT_SEED_SQL,
  BAD_READ_CASES,
  caseOn,
  freePort,
  hugeName,
  LARGEST_GRPC_NAME,
  runSql,
  startTestStack,
  WORKSPACE_ROOT,
  type CaseOutcome,
  type CaseRead,
  type TestStack,
} from '@bnpl/testing';

/** A case of the shared table as GetOnlineFeatures carries it. */
function toRequest(read: CaseRead): GetOnlineFeaturesRequest {
  return {
    ...(read.featureService !== undefined ? { feature_service: read.featureService } : { features: { refs: [...(read.features ?? [])] } }),
    entities: read.rows.map((row) => ({ keys: Object.entries(row).map(([join_key, id]) => ({ join_key, id })) })),
    request_context: Object.fromEntries(
      Object.entries(read.requestContext ?? {}).map(([name, v]) => [name, typeof v === 'number' ? { int64_value: v } : { money_value: { amount_minor: v.amountMinor, currency: v.currency } }]),
    ),
  };
}

const deadline = () => Date.now() + 15_000;

/** Fails with the call's error, or the answer. */
function settle<T>(start: (cb: (error: ServiceError | null, response?: T) => void) => unknown): Promise<{ error: ServiceError | null; response?: T }> {
  return new Promise((resolve) => start((error, response) => resolve({ error, response })));
}

/**
 * grpc-serving's bad-input suite, generated from the table REST's suite runs too (BAD_READ_CASES), plus what
 * only a binary edge can get: bytes that are not the request message, for every RPC. Every call has a
 * deadline, and every assertion is on the server's status: a deadline reached fails the test.
 */
describe('grpc-serving bad input (real PostgreSQL and Redis)', () => {
  let stack: TestStack;
  let client: FeatureServingServiceClient;
  let raw: Client;
  let codec: { requestSerialize: (m: GetOnlineFeaturesRequest) => Buffer; responseDeserialize: (b: Buffer) => GetOnlineFeaturesResponse__Output };

  beforeAll(async () => {
    stack = await startTestStack();
    await runSql(stack.pg.url, ...BAD_INPUT_SEED_SQL);
    const grpcPort = await freePort();
    await stack.startService('grpc-serving', { GRPC_PORT: String(grpcPort) }, { portVariable: 'HTTP_PORT' });
    const definition = loadSync(SERVING_PROTO_FILE, { ...SERVING_LOADER_OPTIONS, includeDirs: [join(WORKSPACE_ROOT, 'proto')] });
    codec = definition['bnpl.featurestore.v1.FeatureServingService']['GetOnlineFeatures' as keyof object] as typeof codec;
    const pkg = loadPackageDefinition(definition) as unknown as ServingProtoGrpcType;
    client = new pkg.bnpl.featurestore.v1.FeatureServingService(`127.0.0.1:${grpcPort}`, credentials.createInsecure(), { 'grpc.max_receive_message_length': -1 });
    raw = new Client(`127.0.0.1:${grpcPort}`, credentials.createInsecure());
  });

  afterAll(async () => {
    client?.close();
    raw?.close();
    await stack?.stop();
  });

  const runs = BAD_READ_CASES.map((c) => [`${c.class}: ${c.name}`, c, caseOn(c, 'GetOnlineFeatures')] as const);

  it('runs every case of the table (none is left out on gRPC)', () => {
    expect(runs.filter(([, , outcome]) => 'skip' in outcome)).toEqual([]);
  });

  it.each(runs.map(([title, c, outcome]) => [title, c, outcome as CaseOutcome] as const))('GetOnlineFeatures: %s', async (_title, c, outcome) => {
    // Encoded first, so that the time measured is the server's (encoding 100,000 rows takes the client seconds).
    const bytes = codec.requestSerialize(toRequest(c.read));
    const started = Date.now();
    const { error, response } = await settle<GetOnlineFeaturesResponse__Output>((cb) =>
      raw.makeUnaryRequest('/bnpl.featurestore.v1.FeatureServingService/GetOnlineFeatures', (b: Buffer) => b, codec.responseDeserialize, bytes, new Metadata(), { deadline: deadline() }, cb),
    );
    expect(Date.now() - started).toBeLessThan(c.withinMs ?? 5_000);
    if ('refused' in outcome) {
      expect({ code: error?.code, details: error?.details.slice(0, 300) }).toEqual({ code: status.INVALID_ARGUMENT, details: expect.any(String) });
      expect(error?.details.length).toBeLessThanOrEqual(MAX_ERROR_MESSAGE_LENGTH);
      expect(error?.details).toMatch(outcome.refused);
      return;
    }
    expect(error).toBeNull();
    const i = response?.feature_names.indexOf(outcome.defaultOf) ?? -1;
    expect(response?.rows.map((r) => r.values[i])).toEqual(c.read.rows.map(() => expect.objectContaining({ status: 'FEATURE_STATUS_DEFAULT', value: { money_value: { amount_minor: '0', currency: 'XXX' }, kind: 'money_value' } })));
  });

  it.each([100 * 1024, LARGEST_GRPC_NAME])('GetFeatureService: a %i-character name gets NOT_FOUND with a bounded message', async (bytes) => {
    const { error } = await settle((cb) => client.GetFeatureService({ name: hugeName(bytes) }, new Metadata(), { deadline: deadline() }, cb));
    expect(error?.code).toBe(status.NOT_FOUND);
    expect(error?.details.length).toBeLessThanOrEqual(MAX_ERROR_MESSAGE_LENGTH);
    expect(error?.details).toMatch(/Unknown feature service "x+…" \(\d+ characters\)/);
  });

  const NOT_THE_MESSAGE: ReadonlyArray<readonly [string, Buffer]> = [
    ['a field whose length runs past the end', Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01])],
    ['a truncated field', Buffer.from([0x0a, 0x05, 0x01])],
    ['a bad wire type', Buffer.from([0x0f, 0x01])],
  ];
  it.each(['GetOnlineFeatures', 'GetCatalog', 'GetFeatureService'].flatMap((method) => NOT_THE_MESSAGE.map(([what, bytes]) => [method, what, bytes] as const)))(
    '%s: bytes that are not the request message (%s) get INVALID_ARGUMENT, not INTERNAL',
    async (method, _what, bytes) => {
      const { error } = await settle((cb) =>
        raw.makeUnaryRequest(`/bnpl.featurestore.v1.FeatureServingService/${method}`, (b: Buffer) => b, (b: Buffer) => b, bytes, new Metadata(), { deadline: deadline() }, cb),
      );
      expect({ code: error?.code, details: error?.details }).toEqual({ code: status.INVALID_ARGUMENT, details: expect.stringContaining(`not a valid ${method}Request message`) });
      expect(error?.metadata.get('reason')).toEqual(['UNDECODABLE_REQUEST']);
    },
  );

  it('keeps serving after all of it', async () => {
    const { error, response } = await settle<GetOnlineFeaturesResponse__Output>((cb) =>
      client.GetOnlineFeatures(toRequest({ features: ['customer_profile:country'], rows: [{ customer_id: '1' }] }), new Metadata(), { deadline: deadline() }, cb),
    );
    expect(error).toBeNull();
    expect(response?.rows[0].values[0].value?.string_value).toBe('DE');
  });
});
