import type { LoggerService } from '@nestjs/common';
import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { AlwaysOnSampler, BasicTracerProvider, InMemorySpanExporter, ParentBasedSampler, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { BrokerPublisher, InMemoryBroker, jobProgressTopic, type JobProgress } from '@bnpl/messaging';
import { ConsumerStats } from './consumer-stats';
import { SubscriptionConsumer } from './subscription-consumer';

const logger: LoggerService = { log: jest.fn(), warn: jest.fn(), error: jest.fn() };
const progress: JobProgress = { jobId: 'j', state: 'RUNNING', shardsTotal: 2, shardsDone: 1, rowsDone: 5, reportTime: new Date(0) };

describe('trace context across messaging', () => {
  const exporter = new InMemorySpanExporter();
  const tracer = () => trace.getTracer('test');

  beforeAll(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    trace.setGlobalTracerProvider(new BasicTracerProvider({ sampler: new ParentBasedSampler({ root: new AlwaysOnSampler() }), spanProcessors: [new SimpleSpanProcessor(exporter)] }));
  });
  afterAll(() => {
    trace.disable();
    propagation.disable();
    context.disable();
  });
  beforeEach(() => exporter.reset());

  /** Publishes `progress` (inside `around`, if given) and resolves with what the handler saw once it ran. */
  async function roundTrip(namespace: string, around?: (publish: () => Promise<string>) => Promise<string>) {
    const broker = new InMemoryBroker({ namespace });
    const stats = new ConsumerStats();
    let seen: { traceId?: string; spanId?: string; attributes: Readonly<Record<string, string>> } | undefined;
    let handled!: () => void;
    const done = new Promise<void>((resolve) => (handled = resolve));
    const consumer = new SubscriptionConsumer(broker, { topic: jobProgressTopic, subscription: `${namespace}.sub`, maxInFlight: 1, maxDeliveries: 3, drainTimeoutMs: 1_000, logger, stats }, async (_payload, ctx) => {
      const active = trace.getSpan(context.active())?.spanContext();
      seen = { traceId: active?.traceId, spanId: active?.spanId, attributes: ctx.getAttributes() };
      handled();
    });
    await consumer.start();
    const publisher = new BrokerPublisher(broker);
    const publish = () => publisher.publish(jobProgressTopic, progress, { attributes: { origin: 'test' } });
    await (around ? around(publish) : publish());
    await done;
    await consumer.close();
    await new Promise((resolve) => setImmediate(resolve));
    return { seen, stats, spans: exporter.getFinishedSpans() };
  }

  const only = (spans: ReadableSpan[], kind: SpanKind) => {
    const found = spans.filter((s) => s.kind === kind);
    expect(found).toHaveLength(1);
    return found[0];
  };

  it('continues the publisher trace in the consumer: request -> publish (producer) -> process (consumer) -> handler', async () => {
    const { seen, spans, stats } = await roundTrip('propagation', (publish) => tracer().startActiveSpan('POST /v1/jobs', async (span) => {
      try {
        return await publish();
      } finally {
        span.end();
      }
    }));
    const request = spans.find((s) => s.name === 'POST /v1/jobs');
    const producer = only(spans, SpanKind.PRODUCER);
    const consumer = only(spans, SpanKind.CONSUMER);
    expect(producer.name).toBe('publish bnpl.jobs.progress');
    expect(producer.parentSpanContext?.spanId).toBe(request?.spanContext().spanId);
    expect(consumer.name).toBe('process bnpl.jobs.progress');
    expect(consumer.parentSpanContext?.spanId).toBe(producer.spanContext().spanId);
    expect(consumer.spanContext().traceId).toBe(request?.spanContext().traceId);
    expect(consumer.attributes).toMatchObject({ 'messaging.destination.name': 'bnpl.jobs.progress', 'messaging.destination.subscription.name': 'propagation.sub' });
    // The handler runs inside the consumer span, so whatever it does (reads, writes, publishes) joins the trace.
    expect(seen).toMatchObject({ traceId: consumer.spanContext().traceId, spanId: consumer.spanContext().spanId });
    // The trace context rides beside the caller's own attributes.
    expect(seen?.attributes).toEqual({ origin: 'test', traceparent: expect.stringMatching(new RegExp(`^00-${consumer.spanContext().traceId}-${producer.spanContext().spanId}-01$`)) });
    expect(stats.outcomes()).toContainEqual({ topic: 'bnpl.jobs.progress', outcome: 'acked', count: 1 });
  });

  it('starts a trace at the publisher when nothing is active, still joined by the consumer', async () => {
    const { spans } = await roundTrip('no-parent');
    const producer = only(spans, SpanKind.PRODUCER);
    expect(producer.parentSpanContext).toBeUndefined();
    expect(only(spans, SpanKind.CONSUMER).parentSpanContext?.spanId).toBe(producer.spanContext().spanId);
  });
});

describe('ConsumerStats', () => {
  it('starts a registered consumer at zero and counts handlers in flight, outcomes with their durations, and dead letters', () => {
    const stats = new ConsumerStats();
    const durations: Array<[string, string, number]> = [];
    stats.observeDurations((topic, outcome, seconds) => durations.push([topic, outcome, seconds]));
    stats.register('t', 't.dlq');
    expect(stats.inFlight()).toEqual([{ topic: 't', count: 0 }]);
    stats.started('t');
    stats.started('t');
    expect(stats.inFlight()).toEqual([{ topic: 't', count: 2 }]);
    stats.finished('t', 'acked', 0.5);
    stats.finished('t', 'retried', 1);
    stats.started('t');
    stats.deadLettered('t', 't.dlq', 'HANDLER_FAILED');
    stats.finished('t', 'dead_lettered', 2);
    expect(stats.inFlight()).toEqual([{ topic: 't', count: 0 }]);
    expect(durations).toEqual([
      ['t', 'acked', 0.5],
      ['t', 'retried', 1],
      ['t', 'dead_lettered', 2],
    ]);
    expect(stats.outcomes()).toEqual([
      { topic: 't', outcome: 'acked', count: 1 },
      { topic: 't', outcome: 'retried', count: 1 },
      { topic: 't', outcome: 'dead_lettered', count: 1 },
    ]);
    expect(stats.deadLetters()).toEqual([
      { topic: 't', deadLetterTopic: 't.dlq', reason: 'HANDLER_FAILED', count: 1 },
      { topic: 't', deadLetterTopic: 't.dlq', reason: 'UNDECODABLE', count: 0 },
    ]);
  });
});
