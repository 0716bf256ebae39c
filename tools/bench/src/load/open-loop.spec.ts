import { setTimeout as sleep } from 'node:timers/promises';
import { runOpenLoop } from './open-loop';

describe('runOpenLoop', () => {
  it('issues about rate x duration requests, whatever the answers take', async () => {
    let calls = 0;
    const summary = await runOpenLoop({
      ratePerSecond: 200,
      durationMs: 1_000,
      warmupMs: 0,
      call: async () => {
        calls++;
        await sleep(30);
      },
    });
    expect(calls).toBe(200);
    expect(summary.kind).toBe('open');
    expect(summary.scheduled).toBe(200);
    expect(summary.ok).toBe(200);
    expect(summary.errors).toBe(0);
    // Over 1 s plus the last answer's 30 ms.
    expect(summary.throughputRps).toBeGreaterThan(185);
    expect(summary.throughputRps).toBeLessThanOrEqual(200);
    expect(summary.latencyMs?.p50).toBeGreaterThanOrEqual(29);
  });

  it('measures from the intended send time: a slow server shows its queue in the latencies', async () => {
    // The fake server handles one request at a time, 10 ms each: it can do 100/s and is sent 200/s, so
    // requests queue and the last ones wait about half a second more than the first ones.
    let queue: Promise<void> = Promise.resolve();
    const serial = () => (queue = queue.then(() => sleep(10)));
    const summary = await runOpenLoop({ ratePerSecond: 200, durationMs: 500, warmupMs: 0, call: serial });
    expect(summary.ok).toBe(100);
    // Served at ~100/s, not at the 200/s asked for: throughput is over the time the answers took.
    expect(summary.windowMs).toBeGreaterThan(900);
    expect(summary.throughputRps).toBeLessThan(111);
    expect(summary.latencyMs?.p50).toBeGreaterThan(100);
    // A closed-loop view of the same calls would see ~10 ms each.
    expect(summary.latencyMs?.max).toBeGreaterThan(400);
  });

  it('excludes the warm-up and counts failures', async () => {
    let n = 0;
    const summary = await runOpenLoop({
      ratePerSecond: 100,
      durationMs: 300,
      warmupMs: 200,
      call: async () => {
        if (++n % 3 === 0) throw new Error('HTTP 503');
      },
    });
    expect(n).toBe(50);
    expect(summary.scheduled).toBe(30);
    expect(summary.requests).toBe(30);
    expect(summary.errors).toBe(10);
    expect(summary.errorSamples).toEqual([{ message: 'HTTP 503', count: 10 }]);
  });

  it('does not send beyond maxInFlight, counting those requests as not sent', async () => {
    let calls = 0;
    const summary = await runOpenLoop({
      ratePerSecond: 100,
      durationMs: 200,
      warmupMs: 0,
      maxInFlight: 5,
      call: async () => {
        calls++;
        await sleep(500);
      },
    });
    expect(calls).toBe(5);
    expect(summary.schedule.notSent).toBe(15);
    expect(summary.errors).toBe(15);
    expect(summary.ok).toBe(5);
    expect(summary.errorSamples[0].message).toContain('not sent');
  });

  it('reports its own lateness: a blocked event loop delays sends', async () => {
    const summary = await runOpenLoop({
      ratePerSecond: 100,
      durationMs: 300,
      warmupMs: 0,
      call: async () => {
        const until = Date.now() + 15;
        while (Date.now() < until) {
          /* hog the event loop, as a saturated generator would */
        }
      },
    });
    expect(summary.schedule.late).toBeGreaterThan(0);
    expect(summary.schedule.sendLagMs?.max).toBeGreaterThan(5);
  });

  it('stops sending when aborted', async () => {
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 100);
    let calls = 0;
    const summary = await runOpenLoop({ ratePerSecond: 100, durationMs: 10_000, warmupMs: 0, signal: abort.signal, call: async () => void calls++ });
    expect(calls).toBeGreaterThan(3);
    expect(calls).toBeLessThan(300);
    expect(summary.requests).toBe(calls);
  });
});
