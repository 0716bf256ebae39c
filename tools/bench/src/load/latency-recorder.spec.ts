import { LatencyRecorder, MicrosHistogram } from './latency-recorder';

describe('LatencyRecorder', () => {
  it('summarises latencies in ms at microsecond resolution', () => {
    const recorder = new LatencyRecorder();
    // 1..1000 µs: p50 = 0.5 ms, p99 = 0.99 ms, max = 1 ms
    for (let us = 1; us <= 1000; us++) recorder.ok(us / 1000);
    const summary = recorder.summary(2_000);
    expect(summary.requests).toBe(1000);
    expect(summary.ok).toBe(1000);
    expect(summary.errors).toBe(0);
    expect(summary.throughputRps).toBe(500);
    expect(summary.latencyMs?.p50).toBeCloseTo(0.5, 2);
    expect(summary.latencyMs?.p95).toBeCloseTo(0.95, 2);
    expect(summary.latencyMs?.p99).toBeCloseTo(0.99, 2);
    expect(summary.latencyMs?.p999).toBeCloseTo(0.999, 2);
    expect(summary.latencyMs?.max).toBeCloseTo(1, 2);
    expect(summary.latencyMs?.mean).toBeCloseTo(0.5, 2);
  });

  it('counts errors apart from latencies, keeping the first distinct messages with counts', () => {
    const recorder = new LatencyRecorder();
    recorder.ok(2);
    for (let i = 0; i < 3; i++) recorder.error(new Error('HTTP 503'));
    recorder.error('12 UNIMPLEMENTED');
    for (let i = 0; i < 10; i++) recorder.error(new Error(`distinct ${i}`));
    const summary = recorder.summary(1_000);
    expect(summary.requests).toBe(15);
    expect(summary.ok).toBe(1);
    expect(summary.errors).toBe(14);
    expect(summary.throughputRps).toBe(1);
    expect(summary.errorSamples).toEqual([
      { message: 'HTTP 503', count: 3 },
      { message: '12 UNIMPLEMENTED', count: 1 },
      { message: 'distinct 0', count: 1 },
      { message: 'distinct 1', count: 1 },
      { message: 'distinct 2', count: 1 },
    ]);
  });

  it('has no latencies when nothing succeeded', () => {
    const recorder = new LatencyRecorder();
    recorder.error(new Error('down'));
    expect(recorder.summary(1_000).latencyMs).toBeNull();
    expect(recorder.summary(1_000).throughputRps).toBe(0);
  });

  it('clamps absurd values instead of throwing', () => {
    const h = new MicrosHistogram();
    h.recordMs(0);
    h.recordMs(10 * 60_000);
    expect(h.count).toBe(2);
    expect(h.summary()?.max).toBeCloseTo(60_000, -2);
  });
});
