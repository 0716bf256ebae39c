import { parseBenchFlags } from './bench-flags';

describe('parseBenchFlags', () => {
  it('reads positive integers with defaults and optional strings', () => {
    expect(parseBenchFlags(['--rows', '5', '--report', '/tmp/r.json'], 'usage', { rows: 1, days: 4 }, ['report', 'data-dir'])).toEqual({ rows: 5, days: 4, report: '/tmp/r.json' });
  });

  it('prints the problem and the usage and exits 2 on a bad value', () => {
    const exit = jest.spyOn(process, 'exit').mockImplementation(((code: number) => {
      throw new Error(`exit ${code}`);
    }) as never);
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(() => parseBenchFlags(['--rows', 'lots'], 'usage text', { rows: 1 }, [])).toThrow('exit 2');
      expect(stderr).toHaveBeenCalledWith('--rows must be a positive integer, got "lots"\n\nusage text\n');
    } finally {
      exit.mockRestore();
      stderr.mockRestore();
    }
  });
});
