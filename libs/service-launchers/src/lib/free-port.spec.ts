import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { makeTempDir } from './temp-dir';
import { belowEphemeralRange, freePort } from './free-port';

describe('belowEphemeralRange', () => {
  const dir = makeTempDir('bnpl-port-range-');
  afterAll(() => dir.remove());
  const rangeFile = (text: string) => {
    const path = `${dir.path}/range-${Math.random()}`;
    writeFileSync(path, text);
    return path;
  };

  it("takes up to 12,000 ports just below the kernel's ephemeral range", () => {
    expect(belowEphemeralRange(rangeFile('32768\t60999\n'))).toEqual({ from: 20_768, to: 32_768 });
    expect(belowEphemeralRange(rangeFile('15000 60999'))).toEqual({ from: 11_024, to: 15_000 });
  });

  it('gives none when the range is unknown or starts too low', () => {
    expect(belowEphemeralRange(`${dir.path}/missing`)).toBeNull();
    expect(belowEphemeralRange(rangeFile('1024 65535'))).toBeNull();
    expect(belowEphemeralRange(rangeFile('garbage'))).toBeNull();
  });
});

describe('freePort', () => {
  it('gives a port a server can listen on, below the ephemeral range where there is one', async () => {
    const port = await freePort();
    const range = belowEphemeralRange();
    if (range) {
      expect(port).toBeGreaterThanOrEqual(range.from);
      expect(port).toBeLessThan(range.to);
    }
    const server = createServer();
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
    await new Promise((resolve) => server.close(resolve));
  });
});
