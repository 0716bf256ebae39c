import { decodeRows, decodeValue, microsToDate } from './bigquery-values';

describe('BigQuery result values', () => {
  it.each([
    ['INTEGER', '42', 42],
    ['INT64', '-9007199254740991', -9007199254740991],
    ['INT64', '9223372036854775807', '9223372036854775807'],
    ['FLOAT', '0.25', 0.25],
    ['FLOAT64', 'NaN', Number.NaN],
    ['FLOAT64', '-Infinity', Number.NEGATIVE_INFINITY],
    ['BOOLEAN', 'true', true],
    ['BOOL', 'false', false],
    ['STRING', '', ''],
    ['DATE', '2025-03-01', '2025-03-01'],
    ['TIMESTAMP', '1740787200123456', new Date('2025-03-01T00:00:00.123Z')],
    ['INT64', null, null],
    ['TIMESTAMP', null, null],
  ])('%s %j', (type, raw, value) => {
    expect(decodeValue(type, raw)).toEqual(value);
  });

  it('rounds timestamps down to the millisecond, before 1970 too', () => {
    expect(microsToDate('-1').toISOString()).toBe('1969-12-31T23:59:59.999Z');
    expect(microsToDate('-1000').toISOString()).toBe('1969-12-31T23:59:59.999Z');
    expect(microsToDate('-1001').toISOString()).toBe('1969-12-31T23:59:59.998Z');
    expect(() => microsToDate('1.74E9')).toThrow('expected int64 microseconds');
  });

  it('reads rows by column name, keeping text columns (ids) as sent', () => {
    const [row] = decodeRows([{ name: 'customer_id', type: 'INTEGER' }, { name: 'n', type: 'INTEGER' }], [{ f: [{ v: '42' }, { v: '7' }] }], new Set(['customer_id']));
    expect([row('customer_id'), row('n')]).toEqual(['42', 7]);
    expect(() => row('nope')).toThrow('no column nope');
  });
});
