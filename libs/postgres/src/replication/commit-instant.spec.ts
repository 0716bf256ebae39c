import { commitInstant } from './pg-logical-change-feed';

describe('commitInstant (a commit time in microseconds, as a Date)', () => {
  const at = Date.parse('2026-12-01T19:25:07.846Z');

  it('keeps a whole millisecond as it is', () => {
    expect(commitInstant(BigInt(at) * 1000n).toISOString()).toBe('2026-12-01T19:25:07.846Z');
  });

  it('rounds any fraction of a millisecond up, never dating a commit before it happened', () => {
    expect(commitInstant(BigInt(at) * 1000n + 1n).toISOString()).toBe('2026-12-01T19:25:07.847Z');
    expect(commitInstant(BigInt(at) * 1000n + 512n).toISOString()).toBe('2026-12-01T19:25:07.847Z');
    expect(commitInstant(BigInt(at) * 1000n + 999n).toISOString()).toBe('2026-12-01T19:25:07.847Z');
  });
});
