import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { AlwaysOnSampler, BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { contractCatalog, InMemoryOnlineStore, isCachingOnlineStore, L1CachedOnlineStore, type EntityKey } from '@bnpl/online-store';
import { InstrumentedOnlineStore } from './instrumented-online-store';

const c = (id: number): EntityKey => ({ entity: 'customer', id: String(id) });
const row = (id: number, kyc: number) => ({ key: c(id), view: 'customer_profile', values: { kyc_level: kyc }, eventTime: new Date(kyc) });

/** The layers createOnlineStore builds: an instrumented L1 over an instrumented backend. */
function layers() {
  const backend = new InstrumentedOnlineStore(new InMemoryOnlineStore({ catalog: contractCatalog, namespace: `instrumented-${Math.random()}` }), 'memory', true);
  const l1 = new InstrumentedOnlineStore(new L1CachedOnlineStore(backend, { maxEntries: 100, ttlMs: 60_000 }), 'l1', false);
  return { backend, l1 };
}

describe('InstrumentedOnlineStore', () => {
  const exporter = new InMemorySpanExporter();
  beforeAll(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    trace.setGlobalTracerProvider(new BasicTracerProvider({ sampler: new AlwaysOnSampler(), spanProcessors: [new SimpleSpanProcessor(exporter)] }));
  });
  afterAll(() => {
    trace.disable();
    context.disable();
  });
  beforeEach(() => exporter.reset());

  const inRequest = <T>(fn: () => Promise<T>) =>
    trace.getTracer('test').startActiveSpan('GET /v1/customers/:id/features', async (span) => {
      try {
        return await fn();
      } finally {
        span.end();
      }
    });
  const parentOf = (spans: ReadableSpan[], name: string) => {
    const span = spans.find((s) => s.name === name);
    if (!span) throw new Error(`no span ${name} in ${spans.map((s) => s.name).join(', ')}`);
    return spans.find((s) => s.spanContext().spanId === span.parentSpanContext?.spanId)?.name;
  };

  it('passes reads, writes and the caching methods through, and counts what the backend had', async () => {
    const { backend, l1 } = layers();
    expect(isCachingOnlineStore(l1)).toBe(true);
    expect(isCachingOnlineStore(backend)).toBe(false);
    expect(l1.kind).toBe('l1+memory');
    await l1.write([row(1, 2), row(2, 3)]);
    const first = await l1.read([c(1), c(3)], ['customer_profile', 'customer_exposure']);
    expect(first[0][0]?.values).toMatchObject({ kyc_level: 2 });
    expect(first[1]).toEqual([null, null]);
    await l1.read([c(1), c(3)], ['customer_profile', 'customer_exposure']);
    // The second read came from L1: the backend saw one read of 4 pairs, 1 found.
    expect(backend.stats()).toEqual({ hits: 1, misses: 3, rowsWritten: 2, rowsSkipped: 0 });
    expect(l1.cacheStats?.()).toMatchObject({ hits: 4, misses: 4 });
    await l1.write([row(1, 1)]);
    expect(backend.stats()).toMatchObject({ rowsWritten: 2, rowsSkipped: 1 });
    l1.invalidate?.([c(1)]);
    await l1.read([c(1)], ['customer_profile']);
    expect(backend.stats()).toMatchObject({ hits: 2 });
    // Outside a trace nothing is recorded.
    expect(exporter.getFinishedSpans()).toEqual([]);
  });

  it('shows the backend read beneath the L1 read of a traced request, only on a miss', async () => {
    const { l1 } = layers();
    await l1.write([row(1, 2)]);
    await inRequest(() => l1.read([c(1)], ['customer_profile']));
    let spans = exporter.getFinishedSpans();
    expect(parentOf(spans, 'online-store l1 read')).toBe('GET /v1/customers/:id/features');
    expect(parentOf(spans, 'online-store memory read')).toBe('online-store l1 read');
    expect(spans.find((s) => s.name === 'online-store memory read')?.attributes).toMatchObject({ 'bnpl.entities': 1, 'bnpl.hits': 1, 'bnpl.misses': 0 });

    exporter.reset();
    await inRequest(() => l1.read([c(1)], ['customer_profile']));
    spans = exporter.getFinishedSpans();
    expect(spans.map((s) => s.name).sort()).toEqual(['GET /v1/customers/:id/features', 'online-store l1 read']);
  });

  it('traces invalidations and writes inside a trace', async () => {
    const { l1 } = layers();
    await inRequest(async () => {
      l1.invalidate?.([c(1), c(2)]);
      await l1.write([row(1, 2)]);
    });
    const spans = exporter.getFinishedSpans();
    expect(parentOf(spans, 'online-store l1 invalidate')).toBe('GET /v1/customers/:id/features');
    expect(spans.find((s) => s.name === 'online-store l1 invalidate')?.attributes).toEqual({ 'bnpl.entities': 2 });
    expect(parentOf(spans, 'online-store memory write')).toBe('online-store l1 write');
  });
});
