/** Money as integer minor units (cents, pence...) with its ISO 4217 currency. Never a float. */
export interface Money {
  amountMinor: number;
  currency: string;
}

/**
 * A customer as the rest of the system may see it. Deliberately without email, name or date of birth:
 * PII stays in PostgreSQL.
 */
export interface CustomerRecord {
  id: string;
  country: string;
  currency: string;
  kycLevel: number;
  creditLimit: Money;
  status: 'active' | 'suspended' | 'closed';
  createdAt: Date;
  updatedAt: Date;
}

export interface MerchantRecord {
  id: string;
  name: string;
  category: string;
  country: string;
  createdAt: Date;
}

/** Row counts of the source tables: what the local stack prints, and a cheap "is there data" probe. */
export interface SourceTableCounts {
  customers: number;
  merchants: number;
  orders: number;
  installments: number;
  payments: number;
}
