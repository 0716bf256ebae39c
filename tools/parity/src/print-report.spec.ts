import type { ParityReport } from '@bnpl/parity';
import { formatReport, toJson } from './print-report';

const AT = new Date('2025-03-15T00:00:00Z');
const base: ParityReport = {
  store: 'online',
  entity: 'customer',
  views: ['customer_profile', 'customer_exposure'],
  fromId: '1',
  toId: '100',
  idsGiven: null,
  asOf: null,
  entitiesChecked: 100,
  rowsChecked: 200,
  mismatchedRows: 0,
  missingOnline: 0,
  orphanedOnline: 0,
  byFeature: {},
  staleDateRows: 0,
  rowsByEventDate: { '2025-03-15': 200 },
  samples: [],
  consistent: true,
};

describe('formatReport', () => {
  it('says so when everything matches', () => {
    const text = formatReport(base);
    expect(text).toContain('Parity check of the online store: customer ids 1..100, 2 view(s): customer_profile, customer_exposure; each row as of its own event date');
    expect(text).toContain('No feature differs.');
    expect(text).toMatch(/rows checked\s+200\n/);
    expect(text).toMatch(/rows by event date\s+2025-03-15: 200\n/);
    expect(text).toMatch(/OK: the online store matches the source for 200 rows\n$/);
  });

  it('prints mismatching rows by feature, the totals and examples', () => {
    const text = formatReport({
      ...base,
      idsGiven: 3,
      asOf: AT,
      mismatchedRows: 2,
      missingOnline: 1,
      orphanedOnline: 1,
      byFeature: { 'customer_exposure:overdue_balance': 1 },
      consistent: false,
      samples: [
        { entityId: '5', view: 'customer_exposure', feature: 'overdue_balance', expected: { amountMinor: 500n, currency: 'EUR' }, online: { amountMinor: 0, currency: 'EUR' }, kind: 'value', eventTime: AT },
        { entityId: '6', view: 'customer_profile', feature: '*', expected: {}, online: null, kind: 'missing-online', eventTime: null },
        { entityId: '7', view: 'customer_profile', feature: '*', expected: null, online: {}, kind: 'orphaned-online', eventTime: AT },
      ],
    });
    expect(text).toContain('3 given ids in 1..100');
    expect(text).toContain('as of 2025-03-15T00:00:00.000Z');
    expect(text).toMatch(/feature\s+mismatching rows\ncustomer_exposure:overdue_balance\s+1\n/);
    expect(text).toMatch(/missing online\s+1\n/);
    expect(text).toContain('customer 5 customer_exposure:overdue_balance: expected {"amountMinor":"500","currency":"EUR"}, online {"amountMinor":0,"currency":"EUR"}');
    expect(text).toContain('customer 6 customer_profile: nothing stored online');
    expect(text).toContain('customer 7 customer_profile: stored online (event time 2025-03-15T00:00:00.000Z) but not in the source');
    expect(text).toMatch(/MISMATCH: 2 of 200 rows differ, 1 orphaned online\n$/);
  });
});

describe('toJson', () => {
  it('writes bigints as decimal strings and dates as ISO strings', () => {
    expect(toJson({ a: 12345678901234567890n, at: AT })).toBe('{"a":"12345678901234567890","at":"2025-03-15T00:00:00.000Z"}');
  });
});

describe('formatReport of the offline history', () => {
  it('names the offline history wherever the online report says online', () => {
    const text = formatReport({ ...base, store: 'offline', consistent: false, mismatchedRows: 1, missingOnline: 1, samples: [{ entityId: '7', view: 'customer_profile', feature: '*', expected: {}, online: null, kind: 'missing-online', eventTime: null }] });
    expect(text).toContain("Parity check of the offline history's latest rows: customer ids 1..100");
    expect(text).toMatch(/missing offline\s+1\n/);
    expect(text).toContain('customer 7 customer_profile: nothing stored offline');
    expect(text).not.toMatch(/online/);
  });
});
