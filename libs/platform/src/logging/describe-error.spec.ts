import { describeErrorChain } from './describe-error';

describe('describeErrorChain', () => {
  it('lists the error and its causes', () => {
    const root = new Error('socket closed');
    const text = describeErrorChain(new Error('query failed', { cause: root }));
    expect(text).toContain('query failed');
    expect(text).toContain('caused by: Error: socket closed');
  });

  it('stops at five levels and accepts values that are not errors', () => {
    let e: unknown = 'bottom';
    for (let i = 0; i < 10; i++) e = new Error(`level ${i}`, { cause: e });
    expect(describeErrorChain(e).split('caused by:')).toHaveLength(5);
    expect(describeErrorChain('plain')).toBe('plain');
  });
});
