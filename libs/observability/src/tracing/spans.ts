import { context, SpanKind, SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';

/** The tracer of the feature store's own spans (the instrumentations have theirs). */
const tracer = trace.getTracer('bnpl-feature-store');

/** Whether the active span records: false with tracing off and in every unsampled trace. */
export function isTracing(): boolean {
  return trace.getSpan(context.active())?.isRecording() === true;
}

/**
 * Runs `fn` inside a new child of the active span, ended when `fn` settles (an error is recorded on it and
 * rethrown). Nothing is created unless the active span records, so with tracing off or in an unsampled
 * request this costs one lookup: these spans sit on the read path. Spans only ever extend a trace something
 * else started (a request, a message); see `inNewTrace` for work that starts one.
 */
export function inChildSpan<T>(name: string, attributes: Attributes, fn: (span?: Span) => Promise<T>): Promise<T> {
  if (!isTracing()) return fn();
  return tracer.startActiveSpan(name, { kind: SpanKind.INTERNAL, attributes }, (span) => settle(span, fn));
}

/** `inChildSpan` for synchronous work. */
export function inChildSpanSync<T>(name: string, attributes: Attributes, fn: () => T): T {
  if (!isTracing()) return fn();
  return tracer.startActiveSpan(name, { kind: SpanKind.INTERNAL, attributes }, (span) => {
    try {
      return fn();
    } catch (error) {
      recordError(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * Runs `fn` inside the root span of a new trace (the sampler decides whether it records): for work no
 * request or message started, such as the ingestor applying a batch of source changes.
 */
export function inNewTrace<T>(name: string, attributes: Attributes, fn: (span: Span) => Promise<T>): Promise<T> {
  return tracer.startActiveSpan(name, { kind: SpanKind.INTERNAL, attributes, root: true }, (span) => settle(span, fn));
}

async function settle<T>(span: Span, fn: (span: Span) => Promise<T>): Promise<T> {
  try {
    return await fn(span);
  } catch (error) {
    recordError(span, error);
    throw error;
  } finally {
    span.end();
  }
}

function recordError(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}

/** The active trace and span ids (for log lines), or undefined outside any valid span context. */
export function activeTraceIds(): { traceId: string; spanId: string; sampled: boolean } | undefined {
  const span = trace.getSpan(context.active());
  if (!span) return undefined;
  const { traceId, spanId, traceFlags } = span.spanContext();
  return trace.isSpanContextValid(span.spanContext()) ? { traceId, spanId, sampled: (traceFlags & 1) === 1 } : undefined;
}
