import { availableParallelism } from 'node:os';
import { spawn, spawnSync } from 'node:child_process';
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

describe('startCpuMeter, child processes', () => {
  const busyChild = (ms: number) => `const s = process.cpuUsage(); while (process.cpuUsage(s).user < ${ms * 1000}) {}`;

  it('counts a child of the generator that exited during the measurement', () => {
    if (process.platform !== 'linux') return;
    const stop = startCpuMeter(undefined);
    spawnSync(process.execPath, ['-e', busyChild(300)]);
    const share = stop();
    expect(share.generatorChildrenPercent).toBeGreaterThan(0);
  });

  it('counts the server\'s descendants with serverProcessTree, and only then', async () => {
    if (process.platform !== 'linux') return;
    // This process as the "server": a child busy for 300 ms is part of its tree, not of the process itself.
    const tree = startCpuMeter(process.pid, { serverProcessTree: true });
    const alone = startCpuMeter(process.pid);
    const child = spawn(process.execPath, ['-e', busyChild(300)]);
    await new Promise((resolve) => child.once('exit', resolve));
    const [withTree, without] = [tree(), alone()];
    expect(withTree.serverPercent ?? 0).toBeGreaterThan((without.serverPercent ?? 0) + 10);
  });
});
