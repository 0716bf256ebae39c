import { bnplCatalog } from '@bnpl/feature-definitions';
import { parseParityArgs, UsageError } from './parity-args';

const parse = (...argv: string[]) => parseParityArgs(argv, bnplCatalog, '/work');
const usageError = (...argv: string[]): string => {
  try {
    parse(...argv);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error(`no UsageError for ${argv.join(' ')}`);
};

describe('parseParityArgs', () => {
  it('maps flags to options, with defaults', () => {
    expect(parse('--entity', 'customer')).toEqual({ kind: 'run', options: { entity: 'customer', reportPath: '/work/reports/parity-customer.json', chunkSize: 2000, sampleLimit: 20 } });
    expect(
      parse('--entity', 'customer', '--from', '1', '--to', '100000', '--views', 'customer_exposure, customer_profile,customer_exposure', '--as-of', '2025-03-15T10:00:00+01:00', '--report', 'out/p.json', '--chunk-size', '500', '--sample-limit', '0'),
    ).toEqual({
      kind: 'run',
      options: {
        entity: 'customer',
        views: ['customer_exposure', 'customer_profile'],
        fromId: '1',
        toId: '100000',
        asOf: new Date('2025-03-15T09:00:00Z'),
        reportPath: '/work/out/p.json',
        chunkSize: 500,
        sampleLimit: 0,
      },
    });
    expect(parse('--entity', 'merchant', '--ids', '30,2,2,100', '--as-of', '2025-03-15')).toMatchObject({ options: { ids: ['2', '30', '100'], asOf: new Date('2025-03-15T00:00:00Z') } });
  });

  it('returns the help text for --help', () => {
    const command = parse('--help');
    expect(command.kind).toBe('help');
    expect(command.kind === 'help' && command.text).toMatch(/--entity <name>[\s\S]*Exit codes: 0 consistent; 1 mismatches/);
  });

  it('names the bad flag', () => {
    expect(usageError()).toMatch(/required option '--entity <name>'/);
    expect(usageError('--entity', 'shop')).toBe('--entity must be one of customer, merchant; got "shop"');
    expect(usageError('--entity', 'customer', '--views', 'merchant_risk')).toMatch(/^--views: "merchant_risk" is a view of merchant, not customer/);
    expect(usageError('--entity', 'customer', '--views', 'nope')).toMatch(/^--views: unknown stored view "nope"; customer has customer_profile/);
    expect(usageError('--entity', 'customer', '--views', 'a,,b')).toMatch(/'--views <list>' argument 'a,,b' is invalid/);
    expect(usageError('--entity', 'customer', '--from', '007')).toMatch(/'--from <id>' argument '007' is invalid/);
    expect(usageError('--entity', 'customer', '--to', '-1')).toMatch(/'--to <id>'/);
    expect(usageError('--entity', 'customer', '--from', '9', '--to', '8')).toBe('--from 9 is after --to 8');
    expect(usageError('--entity', 'customer', '--ids', '1,x')).toMatch(/'--ids <list>' argument '1,x' is invalid. "x" is not an entity id/);
    expect(usageError('--entity', 'customer', '--from', '5', '--ids', '4,6')).toBe('--ids: 4 is outside --from 5 --to (highest)');
    expect(usageError('--entity', 'customer', '--as-of', 'yesterday')).toMatch(/'--as-of <instant>'/);
    expect(usageError('--entity', 'customer', '--as-of', '2025-02-30')).toMatch(/'--as-of <instant>'/);
    expect(usageError('--entity', 'customer', '--as-of', '2025-13-01T00:00:00Z')).toMatch(/'--as-of <instant>'/);
    expect(usageError('--entity', 'customer', '--as-of', '2025-03-15T10:00:00')).toMatch(/with a time zone/);
    expect(usageError('--entity', 'customer', '--chunk-size', '0')).toMatch(/'--chunk-size <n>' argument '0' is invalid. expected an integer >= 1/);
    expect(usageError('--entity', 'customer', '--sample-limit', '1.5')).toMatch(/'--sample-limit <n>'/);
    expect(usageError('--entity', 'customer', '--bogus')).toBe("unknown option '--bogus'");
    expect(usageError('--entity', 'customer', 'extra')).toMatch(/too many arguments/);
  });
});
