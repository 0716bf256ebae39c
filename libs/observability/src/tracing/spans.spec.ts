import { context, trace, SpanStatusCode } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { AlwaysOffSampler, AlwaysOnSampler, BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { activeTraceIds, inChildSpan, inChildSpanSync, inNewTrace, isTracing } from './spans';

describe('span helpers', () => {
  const exporter = new InMemorySpanExporter();
  const contextManager = new AsyncLocalStorageContextManager();
  let rootSampled = true;

  beforeAll(() => {
    context.setGlobalContextManager(contextManager.enable());
    // The sampler of new traces is switched per test; children follow their parent as the SDK's default does.
    const sampler = { shouldSample: (...args: Parameters<AlwaysOnSampler['shouldSample']>) => (rootSampled ? new AlwaysOnSampler() : new AlwaysOffSampler()).shouldSample(...args), toString: () => 'switch' };
    trace.setGlobalTracerProvider(new BasicTracerProvider({ sampler, spanProcessors: [new SimpleSpanProcessor(exporter)] }));
  });
  afterAll(() => {
    trace.disable();
    context.disable();
  });
  beforeEach(() => {
    exporter.reset();
    rootSampled = true;
  });

  it('creates nothing outside a recording span: the read path pays one lookup when not traced', async () => {
    expect(isTracing()).toBe(false);
    await expect(inChildSpan('online-store read', {}, async (span) => span)).resolves.toBeUndefined();
    expect(inChildSpanSync('l1 invalidate', {}, () => 42)).toBe(42);
    rootSampled = false;
    await inNewTrace('cdc apply', {}, () => inChildSpan('inner', {}, async () => expect(isTracing()).toBe(false)));
    expect(exporter.getFinishedSpans()).toEqual([]);
  });

  it('nests child spans under the span that started the trace, with their attributes', async () => {
    await inNewTrace('cdc apply', { 'bnpl.transactions': 3 }, async () => {
      expect(isTracing()).toBe(true);
      await inChildSpan('online-store write', { 'bnpl.rows': 2 }, async () => inChildSpanSync('leaf', {}, () => undefined));
    });
    const spans = exporter.getFinishedSpans();
    const named = (name: string) => {
      const span = spans.find((s) => s.name === name);
      if (!span) throw new Error(`no span ${name}`);
      return span;
    };
    const [root, write, leaf] = [named('cdc apply'), named('online-store write'), named('leaf')];
    expect(root.parentSpanContext).toBeUndefined();
    expect(write.parentSpanContext?.spanId).toBe(root.spanContext().spanId);
    expect(leaf.parentSpanContext?.spanId).toBe(write.spanContext().spanId);
    expect(new Set(spans.map((s) => s.spanContext().traceId)).size).toBe(1);
    expect(root.attributes).toEqual({ 'bnpl.transactions': 3 });
    expect(write.attributes).toEqual({ 'bnpl.rows': 2 });
  });

  it('starts a new trace even inside another one', async () => {
    await inNewTrace('outer', {}, () => inNewTrace('inner', {}, async () => undefined));
    const [inner, outer] = exporter.getFinishedSpans();
    expect(inner.parentSpanContext).toBeUndefined();
    expect(inner.spanContext().traceId).not.toBe(outer.spanContext().traceId);
  });

  it('records a failure on the span and rethrows it', async () => {
    await expect(inNewTrace('root', {}, () => inChildSpan('fails', {}, async () => Promise.reject(new Error('redis down'))))).rejects.toThrow('redis down');
    const throwing = () => {
      throw new Error('sync');
    };
    await expect(inNewTrace('root', {}, async () => inChildSpanSync('throws', {}, throwing))).rejects.toThrow('sync');
    expect(exporter.getFinishedSpans().find((s) => s.name === 'throws')?.status.code).toBe(SpanStatusCode.ERROR);
    const failed = exporter.getFinishedSpans().find((s) => s.name === 'fails');
    expect(failed?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'redis down' });
    expect(failed?.events.map((e) => e.name)).toEqual(['exception']);
  });

  it('gives the active trace and span ids for log lines', async () => {
    expect(activeTraceIds()).toBeUndefined();
    await inNewTrace('root', {}, async (span) => {
      expect(activeTraceIds()).toEqual({ traceId: span.spanContext().traceId, spanId: span.spanContext().spanId, sampled: true });
    });
  });
});
