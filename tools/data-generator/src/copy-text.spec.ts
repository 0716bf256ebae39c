import { copyStatement, CopyTextBuffer, writeCustomer, writeInstallment, writeMerchant, writePayment } from './copy-text';

const text = (fill: (b: CopyTextBuffer) => void, capacity?: number) => {
  const b = new CopyTextBuffer(capacity);
  fill(b);
  return b.take().toString('utf8');
};

describe('COPY text encoding', () => {
  it('writes integers in decimal', () => {
    for (const n of [0, 7, 10, 99, 100, 123_456_789, 2 ** 31, 9_007_199_254_740_991, -42]) {
      expect(text((b) => b.int(n))).toBe(String(n));
    }
  });

  it('writes days and timestamps as PostgreSQL literals, UTC', () => {
    const cases = [0, 951_782_400, 1_709_164_799, 1_735_689_599, -631_152_000, 4_102_444_799];
    for (const seconds of cases) {
      const iso = new Date(seconds * 1000).toISOString();
      expect(text((b) => b.timestamp(seconds))).toBe(`${iso.slice(0, 10)} ${iso.slice(11, 19)}+00`);
      expect(text((b) => b.day(Math.floor(seconds / 86_400)))).toBe(iso.slice(0, 10));
    }
  });

  it('escapes text for COPY and encodes it as UTF-8', () => {
    expect(text((b) => b.text('a\tb\nc\\d\re'))).toBe('a\\tb\\nc\\\\d\\re');
    expect(text((b) => b.text('Jürgen Müller – Åsa'))).toBe('Jürgen Müller – Åsa');
  });

  it('writes rows in the column order of the COPY statement, with \\N for NULL', () => {
    expect(copyStatement('payments')).toBe('COPY payments (id, installment_id, customer_id, amount_minor, currency, status, failure_reason, attempted_at) FROM STDIN');
    const line = text((b) =>
      writePayment(b, { id: 5, installmentId: 9, customerId: 3, amountMinor: 2_500, currency: 'EUR', status: 'succeeded', failureReason: null, attemptedAt: 1_700_000_000 }),
    );
    expect(line).toBe('5\t9\t3\t2500\tEUR\tsucceeded\t\\N\t2023-11-14 22:13:20+00\n');
    const customer = text((b) =>
      writeCustomer(b, {
        id: 1,
        email: 'jose.garcia1@example.com',
        fullName: 'José García',
        dateOfBirth: null,
        country: 'ES',
        currency: 'EUR',
        kycLevel: 2,
        creditLimitMinor: 150_000,
        status: 'active',
        createdAt: 1_700_000_000,
        updatedAt: 1_700_000_000,
      }),
    );
    expect(customer.split('\t')).toEqual(['1', 'jose.garcia1@example.com', 'José García', '\\N', 'ES', 'EUR', '2', '150000', 'active', '2023-11-14 22:13:20+00', '2023-11-14 22:13:20+00\n']);
  });

  it('grows past its initial capacity and hands over each chunk', () => {
    const b = new CopyTextBuffer(16);
    for (let id = 1; id <= 1_000; id++) {
      writeInstallment(b, { id, orderId: id, customerId: 1, seq: 1, amountMinor: 100, currency: 'SEK', dueDate: 20_000, status: 'scheduled', paidAt: null, daysPastDue: 0, updatedAt: 1_700_000_000 });
    }
    expect(b.rows).toBe(1_000);
    const chunk = b.take();
    const lines = chunk.toString().split('\n');
    expect(lines).toHaveLength(1_001);
    expect(lines[999]).toBe('1000\t1000\t1\t1\t100\tSEK\t2024-10-04\tscheduled\t\\N\t0\t2023-11-14 22:13:20+00');
    expect(b.rows).toBe(0);
    expect(b.length).toBe(0);
    writeMerchant(b, { id: 1, name: 'Nordic Tech AB', category: 'electronics', country: 'SE', createdAt: 0 });
    expect(b.take().toString()).toBe('1\tNordic Tech AB\telectronics\tSE\t1970-01-01 00:00:00+00\n');
    // The first chunk is untouched by later writes.
    expect(chunk.toString().startsWith('1\t1\t1\t1\t100\tSEK')).toBe(true);
  });
});
