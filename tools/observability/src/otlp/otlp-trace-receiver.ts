import { createServer, type IncomingMessage, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { parse, type Type } from 'protobufjs';
import { OTLP_TRACE_PROTO } from './otlp-trace.proto';

/** OTLP span kinds by number (SPAN_KIND_UNSPECIFIED = 0). */
const KINDS = ['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'] as const;
export type SpanKindName = (typeof KINDS)[number];

export type AttributeValue = string | number | boolean;

/** One span as received, ids in lower-case hex, with the resource attributes of the process that sent it. */
export interface ReceivedSpan {
  readonly traceId: string;
  readonly spanId: string;
  /** Undefined for a root span. */
  readonly parentSpanId?: string;
  readonly name: string;
  readonly kind: SpanKindName;
  /** `service.name` of the sending process. */
  readonly service: string;
  /** `service.instance.id` of the sending process: tells apart two instances of one service. */
  readonly instance: string;
  readonly attributes: Readonly<Record<string, AttributeValue>>;
  /** 0 unset, 1 ok, 2 error. */
  readonly statusCode: number;
}

interface DecodedValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: number | string;
  doubleValue?: number;
}
interface DecodedRequest {
  resourceSpans?: Array<{
    resource?: { attributes?: Array<{ key: string; value?: DecodedValue }> };
    scopeSpans?: Array<{
      spans?: Array<{
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        name: string;
        kind?: number | string;
        attributes?: Array<{ key: string; value?: DecodedValue }>;
        status?: { code?: number | string };
      }>;
    }>;
  }>;
}

const exportRequest: Type = parse(OTLP_TRACE_PROTO, { keepCase: false }).root.lookupType('otlp.ExportTraceServiceRequest');

/**
 * An OTLP/HTTP trace receiver for tests and benchmarks: `POST /v1/traces` with a protobuf body (what the
 * services' exporter sends by default), kept in memory. Point a service at it with
 * `OTEL_EXPORTER_OTLP_ENDPOINT=<receiver.url>`.
 */
export class OtlpTraceReceiver {
  readonly #spans: ReceivedSpan[] = [];
  #requests = 0;
  #count = 0;
  #server?: Server;
  #url = '';

  /** Keep spans (default) or only count them, as a benchmark's sink does. */
  constructor(private readonly keep = true) {}

  get url(): string {
    return this.#url;
  }

  /** Spans received so far, in arrival order. */
  spans(): readonly ReceivedSpan[] {
    return this.#spans;
  }

  /** Export requests received so far. */
  get requests(): number {
    return this.#requests;
  }

  /** Spans received so far (also when not kept). */
  get received(): number {
    return this.#count;
  }

  async start(host = '127.0.0.1'): Promise<string> {
    const server = createServer((request, response) => {
      void this.#receive(request).then(
        () => {
          // An empty ExportTraceServiceResponse: everything accepted.
          response.writeHead(200, { 'content-type': 'application/x-protobuf' });
          response.end();
        },
        (error: Error) => {
          response.writeHead(400, { 'content-type': 'text/plain' });
          response.end(error.message);
        },
      );
    });
    await new Promise<void>((resolve) => server.listen(0, host, resolve));
    this.#server = server;
    this.#url = `http://${host}:${(server.address() as AddressInfo).port}`;
    return this.#url;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async #receive(request: IncomingMessage): Promise<void> {
    if (request.method !== 'POST' || !request.url?.startsWith('/v1/traces')) throw new Error(`unexpected ${request.method} ${request.url}`);
    if (String(request.headers['content-type']).includes('json')) throw new Error('OTLP JSON is not supported: use the default http/protobuf');
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const decoded = exportRequest.toObject(exportRequest.decode(Buffer.concat(chunks)), { bytes: String, longs: Number, enums: Number }) as DecodedRequest;
    this.#requests++;
    for (const resourceSpans of decoded.resourceSpans ?? []) {
      const resource = attributesOf(resourceSpans.resource?.attributes);
      for (const scope of resourceSpans.scopeSpans ?? []) {
        for (const span of scope.spans ?? []) {
          this.#count++;
          if (!this.keep) continue;
          const parent = hex(span.parentSpanId ?? '');
          this.#spans.push({
            traceId: hex(span.traceId),
            spanId: hex(span.spanId),
            ...(parent ? { parentSpanId: parent } : {}),
            name: span.name,
            kind: KINDS[Number(span.kind ?? 0)] ?? 'UNSPECIFIED',
            service: String(resource['service.name'] ?? ''),
            instance: String(resource['service.instance.id'] ?? ''),
            attributes: attributesOf(span.attributes),
            statusCode: Number(span.status?.code ?? 0),
          });
        }
      }
    }
  }
}

/** protobufjs gives bytes fields as base64 (`bytes: String`). */
function hex(id: string): string {
  return Buffer.from(id, 'base64').toString('hex');
}

function attributesOf(list: Array<{ key: string; value?: DecodedValue }> | undefined): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const { key, value } of list ?? []) {
    if (!value) continue;
    if (value.stringValue !== undefined) out[key] = value.stringValue;
    else if (value.boolValue !== undefined) out[key] = value.boolValue;
    else if (value.intValue !== undefined) out[key] = Number(value.intValue);
    else if (value.doubleValue !== undefined) out[key] = value.doubleValue;
  }
  return out;
}
