import { CustomerEntity } from '../entities/source.entities';
import { toCustomerRecord, toSafeInteger } from './source-record.mapper';

describe('source record mapper', () => {
  it('maps a customer without its PII and with money as minor units', () => {
    const e = Object.assign(new CustomerEntity(), {
      id: '42',
      email: 'someone@example.com',
      fullName: 'Some One',
      dateOfBirth: '1990-01-01',
      country: 'GB',
      currency: 'GBP',
      kycLevel: 2,
      creditLimitMinor: '150000',
      status: 'active',
      createdAt: new Date('2024-01-01T00:00:00Z'),
      updatedAt: new Date('2024-02-01T00:00:00Z'),
    });
    const record = toCustomerRecord(e);
    expect(record).toEqual({
      id: '42',
      country: 'GB',
      currency: 'GBP',
      kycLevel: 2,
      creditLimit: { amountMinor: 150000, currency: 'GBP' },
      status: 'active',
      createdAt: new Date('2024-01-01T00:00:00Z'),
      updatedAt: new Date('2024-02-01T00:00:00Z'),
    });
    expect(JSON.stringify(record)).not.toMatch(/someone|Some One|1990/);
  });

  it('refuses amounts that do not fit a safe integer', () => {
    expect(() => toSafeInteger('9007199254740993', 'amount_minor')).toThrow(/amount_minor = 9007199254740993 is not a safe integer/);
  });
});
