import { startCpuMeter } from './cpu-meter';

describe('startCpuMeter', () => {
  it('measures this process busy and a server process by pid', () => {
    const stop = startCpuMeter(process.pid);
    const until = Date.now() + 200;
    while (Date.now() < until) {
      /* spin: about one core for 200 ms */
    }
    const share = stop();
    expect(share.generatorPercent).toBeGreaterThan(30);
    expect(share.generatorPercent).toBeLessThan(150);
    if (process.platform === 'linux') expect(share.serverPercent).toBeGreaterThan(20);
  });

  it('has no server figure without a readable process', () => {
    expect(startCpuMeter(undefined)().serverPercent).toBeNull();
    expect(startCpuMeter(2 ** 30)().serverPercent).toBeNull();
  });
});
