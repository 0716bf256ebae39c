import { credentials, makeGenericClientConstructor, Metadata, Server, ServerCredentials, status, type ServiceDefinition, type ServiceError, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { AlwaysOnSampler, BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { currentRequestContext, JsonLogger, MetricsRegistry } from '@bnpl/platform';
import { grpcStatusClass, instrumentGrpcServer } from './grpc-telemetry';

/** A one-method service with JSON bodies: enough of grpc-js to run the instrumented transport for real. */
const json = { serialize: (value: unknown) => Buffer.from(JSON.stringify(value)), deserialize: (bytes: Buffer) => JSON.parse(bytes.toString()) as unknown };
const service: ServiceDefinition = {
  Echo: { path: '/test.v1.EchoService/Echo', requestStream: false, responseStream: false, requestSerialize: json.serialize, requestDeserialize: json.deserialize, responseSerialize: json.serialize, responseDeserialize: json.deserialize },
};

describe('instrumentGrpcServer', () => {
  const exporter = new InMemorySpanExporter();
  const lines: Array<Record<string, unknown>> = [];
  const logger = new JsonLogger('grpc-serving', 'log', { write: (line: string) => void lines.push(JSON.parse(line)) });
  const metrics = new MetricsRegistry('grpc-serving');
  const server = new Server();
  let client: InstanceType<ReturnType<typeof makeGenericClientConstructor>>;
  const seen: Array<{ requestId?: string; traceId?: string }> = [];

  beforeAll(async () => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    trace.setGlobalTracerProvider(new BasicTracerProvider({ sampler: new AlwaysOnSampler(), spanProcessors: [new SimpleSpanProcessor(exporter)] }));
    instrumentGrpcServer(server, { logger, metrics, telemetry: { accessLogSampleRate: 0, requestMetrics: true }, tracing: true });
    const implementation: UntypedServiceImplementation = {
      Echo: (call: { request: { fail?: number } }, callback: (error: Partial<ServiceError> | null, value?: unknown) => void) => {
        setImmediate(() => {
          seen.push({ requestId: currentRequestContext()?.requestId, traceId: trace.getSpan(context.active())?.spanContext().traceId });
          if (call.request.fail) callback({ code: call.request.fail, details: 'refused' });
          else callback(null, call.request);
        });
      },
    };
    server.addService(service, implementation);
    const port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, p) => (error ? reject(error) : resolve(p))));
    client = new (makeGenericClientConstructor(service, 'EchoService'))(`127.0.0.1:${port}`, credentials.createInsecure());
  });

  afterAll(async () => {
    client?.close();
    await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
    await metrics.shutdown();
    trace.disable();
    propagation.disable();
    context.disable();
  });

  const echo = (request: unknown, metadata = new Metadata()) =>
    new Promise<{ error: ServiceError | null; value: unknown }>((resolve) => (client as unknown as { Echo: (r: unknown, m: Metadata, cb: (e: ServiceError | null, v: unknown) => void) => void }).Echo(request, metadata, (error, value) => resolve({ error, value })));

  it('makes a server span continuing the caller trace, with the handler inside it and the request id in its context', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const metadata = new Metadata();
    metadata.set('traceparent', `00-${traceId}-00f067aa0ba902b7-01`);
    metadata.set('x-request-id', 'grpc-req-1');
    expect((await echo({ hello: 1 }, metadata)).value).toEqual({ hello: 1 });
    const span = exporter.getFinishedSpans().find((s) => s.spanContext().traceId === traceId);
    expect(span).toMatchObject({ name: 'grpc.test.v1.EchoService/Echo', attributes: { 'rpc.system': 'grpc', 'rpc.service': 'test.v1.EchoService', 'rpc.method': 'Echo', 'rpc.grpc.status_code': 0 } });
    expect(span?.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    expect(seen.at(-1)).toEqual({ requestId: 'grpc-req-1', traceId });
  });

  it('counts calls by method, code and status class, and logs the failed ones', async () => {
    await echo({ ok: true });
    const refused = await echo({ fail: status.INVALID_ARGUMENT });
    const broken = await echo({ fail: status.INTERNAL });
    expect([refused.error?.code, broken.error?.code]).toEqual([status.INVALID_ARGUMENT, status.INTERNAL]);
    const text = await metrics.render();
    const count = (labels: string) => Number(new RegExp(`^bnpl_grpc_server_request_duration_seconds_count\\{${labels}\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
    expect(count('rpc="test.v1.EchoService/Echo",code="OK",status_class="ok"')).toBe(2);
    expect(count('rpc="test.v1.EchoService/Echo",code="INVALID_ARGUMENT",status_class="client_error"')).toBe(1);
    expect(count('rpc="test.v1.EchoService/Echo",code="INTERNAL",status_class="server_error"')).toBe(1);
    const access = lines.filter((l) => l['type'] === 'access');
    expect(access.map((l) => [l['level'], l['message'], typeof l['trace_id']])).toEqual([
      ['warn', 'test.v1.EchoService/Echo INVALID_ARGUMENT', 'string'],
      ['error', 'test.v1.EchoService/Echo INTERNAL', 'string'],
    ]);
    expect(exporter.getFinishedSpans().filter((s) => s.status.code === 2).map((s) => s.attributes['rpc.grpc.status_code'])).toEqual([status.INTERNAL]);
  });
});

describe('grpcStatusClass', () => {
  it("tells the caller's mistakes from the server's failures", () => {
    expect([status.OK, status.INVALID_ARGUMENT, status.PERMISSION_DENIED, status.RESOURCE_EXHAUSTED, status.UNAVAILABLE, status.INTERNAL, status.DEADLINE_EXCEEDED].map(grpcStatusClass)).toEqual([
      'ok',
      'client_error',
      'client_error',
      'client_error',
      'server_error',
      'server_error',
      'server_error',
    ]);
  });
});
