import { breakerState, createBreaker } from './circuit-breaker';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('createBreaker with a probe', () => {
  it('closes as soon as the probe succeeds after the dependency returns, long before the reset timeout', async () => {
    let up = false;
    const breaker = createBreaker('dep', async () => (up ? 'ok' : Promise.reject(new Error('ECONNREFUSED'))), { resetTimeoutMs: 60_000, probe: async () => (up ? undefined : Promise.reject(new Error('down'))), probeIntervalMs: 20 }, { timeoutMs: 1_000, resetTimeoutMs: 60_000 }, () => false);
    try {
      await expect(breaker.fire()).rejects.toThrow('ECONNREFUSED');
      expect(breakerState(breaker)).toBe('open');
      await wait(100);
      expect(breakerState(breaker)).toBe('open'); // the probe keeps failing while the dependency is down
      up = true;
      await wait(100);
      expect(breakerState(breaker)).toBe('closed');
      await expect(breaker.fire()).resolves.toBe('ok');
    } finally {
      breaker.shutdown();
    }
  });

  it('without a probe, stays open until its reset timeout', async () => {
    let up = false;
    const breaker = createBreaker('dep', async () => (up ? 'ok' : Promise.reject(new Error('ECONNREFUSED'))), { resetTimeoutMs: 60_000 }, { timeoutMs: 1_000, resetTimeoutMs: 60_000 }, () => false);
    try {
      await expect(breaker.fire()).rejects.toThrow('ECONNREFUSED');
      up = true;
      await wait(100);
      expect(breakerState(breaker)).toBe('open');
    } finally {
      breaker.shutdown();
    }
  });
});
