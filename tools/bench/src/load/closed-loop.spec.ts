import { setTimeout as sleep } from 'node:timers/promises';
import { runClosedLoop } from './closed-loop';

describe('runClosedLoop', () => {
  it('keeps `concurrency` requests outstanding and measures each from its own send', async () => {
    let inFlight = 0;
    let peak = 0;
    const summary = await runClosedLoop({
      concurrency: 4,
      durationMs: 300,
      warmupMs: 0,
      call: async () => {
        peak = Math.max(peak, ++inFlight);
        await sleep(10);
        inFlight--;
      },
    });
    expect(peak).toBe(4);
    expect(summary.kind).toBe('closed');
    expect(summary.errors).toBe(0);
    // 4 workers x 300 ms / (10 ms and whatever a busy machine adds) per call; loose bounds, no timing test.
    expect(summary.ok).toBeGreaterThan(40);
    expect(summary.ok).toBeLessThanOrEqual(124);
    expect(Math.abs(summary.throughputRps - (summary.ok / summary.windowMs) * 1000)).toBeLessThan(2);
    // No queueing in a closed loop: latency is the call's own time.
    expect(summary.latencyMs?.p50).toBeGreaterThanOrEqual(9);
  });

  it('does not measure requests started during the warm-up', async () => {
    const started: number[] = [];
    const t0 = Date.now();
    const summary = await runClosedLoop({
      concurrency: 1,
      durationMs: 200,
      warmupMs: 200,
      call: async () => {
        started.push(Date.now() - t0);
        await sleep(20);
      },
    });
    const measured = started.filter((t) => t >= 200).length;
    // Every call started after the warm-up is measured (give or take the one straddling its end).
    expect(Math.abs(summary.ok - measured)).toBeLessThanOrEqual(1);
    expect(summary.ok).toBeLessThan(started.length);
    expect(summary.windowMs).toBeGreaterThanOrEqual(180);
  });

  it('counts failures with their messages and keeps going', async () => {
    let n = 0;
    const summary = await runClosedLoop({
      concurrency: 2,
      durationMs: 100,
      warmupMs: 0,
      call: async () => {
        await sleep(1);
        if (++n % 2 === 0) throw new Error('HTTP 500: boom');
      },
    });
    expect(summary.errors).toBeGreaterThan(0);
    expect(Math.abs(summary.errors - summary.ok)).toBeLessThanOrEqual(2);
    expect(summary.errorSamples[0]).toEqual({ message: 'HTTP 500: boom', count: summary.errors });
  });

  it('stops early when aborted, and does not starve the event loop when every call fails at once', async () => {
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 100);
    // 10 s of run against the unit runner's 5 s test timeout: a loop that ignored the abort fails the test.
    const summary = await runClosedLoop({ concurrency: 4, durationMs: 10_000, warmupMs: 0, signal: abort.signal, call: () => Promise.reject(new Error('closed')) });
    expect(summary.errors).toBeGreaterThan(0);
    expect(summary.ok).toBe(0);
  });
});
