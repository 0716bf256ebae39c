import { type SourceDatabase } from './source-database';
import { CustomerEntity, MerchantEntity } from '../entities/source.entities';
import { toCustomerRecord, toMerchantRecord } from './source-record.mapper';
import { type CustomerRecord, type MerchantRecord, type SourceTableCounts } from './source-records';

/** Reads of source entities, returned as plain records (never ORM entities). */
export class SourceRepository {
  constructor(private readonly db: SourceDatabase) {}

  /** The customer, or null when no customer has this id. */
  async findCustomer(id: string): Promise<CustomerRecord | null> {
    const entity = await this.db.orm().getRepository(CustomerEntity).findOneBy({ id });
    return entity ? toCustomerRecord(entity) : null;
  }

  async findMerchant(id: string): Promise<MerchantRecord | null> {
    const entity = await this.db.orm().getRepository(MerchantEntity).findOneBy({ id });
    return entity ? toMerchantRecord(entity) : null;
  }

  /** Exact row counts (a full count; meant for start-up summaries and tests, not the hot path). */
  async countRows(): Promise<SourceTableCounts> {
    const [row] = await this.db.query<Record<keyof SourceTableCounts, string>>(`
      SELECT (SELECT count(*) FROM customers) AS customers, (SELECT count(*) FROM merchants) AS merchants,
             (SELECT count(*) FROM orders) AS orders, (SELECT count(*) FROM installments) AS installments,
             (SELECT count(*) FROM payments) AS payments`);
    return {
      customers: Number(row.customers),
      merchants: Number(row.merchants),
      orders: Number(row.orders),
      installments: Number(row.installments),
      payments: Number(row.payments),
    };
  }
}
