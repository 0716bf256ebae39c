import { UsageError } from '@bnpl/command-line';
import { parseDrillArgs } from './main';

describe('parseDrillArgs', () => {
  it('defaults to 100,000 customers and the report under tools/dr-drills/reports', () => {
    expect(parseDrillArgs([])).toEqual({ customers: 100_000, report: expect.stringMatching(/tools\/dr-drills\/reports\/redis-rebuild\.json$/) });
    expect(parseDrillArgs(['--customers', '2000', '--data-dir', '/tmp/d', '--report', '/tmp/r.json'])).toEqual({ customers: 2_000, dataDir: '/tmp/d', report: '/tmp/r.json' });
    expect(parseDrillArgs(['--help'])).toBe('help');
  });

  it('refuses bad values and unknown flags, naming them', () => {
    expect(() => parseDrillArgs(['--customers', 'lots'])).toThrow(new UsageError('--customers must be an integer >= 10, got "lots"'));
    expect(() => parseDrillArgs(['--surprise'])).toThrow(/Unknown option '--surprise'/);
  });
});
