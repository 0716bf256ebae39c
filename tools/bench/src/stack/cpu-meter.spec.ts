import { startCpuMeter } from './cpu-meter';

describe('startCpuMeter', () => {
  it('measures this process busy, and the same process read by pid agrees', () => {
    const stop = startCpuMeter(process.pid);
    // Spin for 200 ms of this process's CPU time (not wall time: on a busy machine the wall time is longer).
    const start = process.cpuUsage();
    while (process.cpuUsage(start).user < 200_000) {
      /* spin */
    }
    const share = stop();
    expect(share.generatorPercent).toBeGreaterThan(0);
    expect(share.generatorPercent).toBeLessThanOrEqual(200);
    if (process.platform === 'linux') {
      // Both figures describe this process: process.cpuUsage and /proc (10 ms ticks) agree within a few ticks.
      expect(share.serverPercent).not.toBeNull();
      expect(Math.abs((share.serverPercent ?? 0) - share.generatorPercent)).toBeLessThan(15);
    }
  });

  it('has no server figure without a readable process', () => {
    expect(startCpuMeter(undefined)().serverPercent).toBeNull();
    expect(startCpuMeter(2 ** 30)().serverPercent).toBeNull();
  });
});
