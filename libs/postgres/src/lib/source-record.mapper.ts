import { type CustomerEntity, type MerchantEntity } from '../entities/source.entities';
import { type CustomerRecord, type MerchantRecord } from './source-records';

/** bigint columns arrive as strings; amounts are only valid as safe integers. */
export function toSafeInteger(value: string | number, column: string): number {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`${column} = ${value} is not a safe integer`);
  return n;
}

export function toCustomerRecord(e: CustomerEntity): CustomerRecord {
  return {
    id: String(e.id),
    country: e.country,
    currency: e.currency,
    kycLevel: e.kycLevel,
    creditLimit: { amountMinor: toSafeInteger(e.creditLimitMinor, 'credit_limit_minor'), currency: e.currency },
    status: e.status as CustomerRecord['status'],
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
  };
}

export function toMerchantRecord(e: MerchantEntity): MerchantRecord {
  return { id: String(e.id), name: e.name, category: e.category, country: e.country, createdAt: e.createdAt };
}
