import { type ReceivedSpan } from './otlp-trace-receiver';

/** The received spans as trees: parents, ancestors, and a printout of a trace for failure messages. */
export class TraceTree {
  readonly #byId = new Map<string, ReceivedSpan>();

  constructor(readonly spans: readonly ReceivedSpan[]) {
    for (const span of spans) this.#byId.set(span.spanId, span);
  }

  /** Every span of one trace. */
  trace(traceId: string): ReceivedSpan[] {
    return this.spans.filter((s) => s.traceId === traceId);
  }

  parent(span: ReceivedSpan): ReceivedSpan | undefined {
    return span.parentSpanId ? this.#byId.get(span.parentSpanId) : undefined;
  }

  /** Parent, grandparent, ... up to the root (or to the first parent not received). */
  ancestors(span: ReceivedSpan): ReceivedSpan[] {
    const out: ReceivedSpan[] = [];
    for (let p = this.parent(span); p && out.length < 100; p = this.parent(p)) out.push(p);
    return out;
  }

  /** The nearest ancestor matching `predicate`. */
  ancestor(span: ReceivedSpan, predicate: (s: ReceivedSpan) => boolean): ReceivedSpan | undefined {
    return this.ancestors(span).find(predicate);
  }

  /** One line per span, indented under its parent: `service: name [KIND]`. */
  describe(traceId: string): string {
    const spans = this.trace(traceId);
    const children = new Map<string | undefined, ReceivedSpan[]>();
    for (const span of spans) {
      const parent = span.parentSpanId && this.#byId.has(span.parentSpanId) ? span.parentSpanId : undefined;
      children.set(parent, [...(children.get(parent) ?? []), span]);
    }
    const lines: string[] = [];
    const walk = (parent: string | undefined, depth: number) => {
      for (const span of children.get(parent) ?? []) {
        lines.push(`${'  '.repeat(depth)}${span.service}: ${span.name} [${span.kind}]`);
        walk(span.spanId, depth + 1);
      }
    };
    walk(undefined, 0);
    return lines.join('\n');
  }
}
