import { availableParallelism } from 'node:os';
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
    // At most every core busy; the busy time and the wall time are read at slightly different instants, so
    // a process that kept both cores busy can come out a little over (200.8 % was seen on 2 cores).
    expect(share.generatorPercent).toBeLessThanOrEqual(100 * availableParallelism() * 1.05);
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
