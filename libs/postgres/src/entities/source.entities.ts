import { Column, Entity, PrimaryColumn } from 'typeorm';

// ORM mappings of the source tables. They stay inside this lib: callers get the records in
// ../lib/source-records.ts through explicit mappers, so PII columns and driver types (bigint as string)
// never leak. The DDL lives in the migrations; these only describe what is read.

@Entity('customers')
export class CustomerEntity {
  @PrimaryColumn({ type: 'bigint' }) id!: string;
  @Column('text') email!: string;
  @Column({ type: 'text', name: 'full_name' }) fullName!: string;
  @Column({ type: 'date', name: 'date_of_birth', nullable: true }) dateOfBirth!: string | null;
  @Column({ type: 'char', length: 2 }) country!: string;
  @Column({ type: 'char', length: 3 }) currency!: string;
  @Column({ type: 'smallint', name: 'kyc_level' }) kycLevel!: number;
  @Column({ type: 'bigint', name: 'credit_limit_minor' }) creditLimitMinor!: string;
  @Column('text') status!: string;
  @Column({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @Column({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}

@Entity('merchants')
export class MerchantEntity {
  @PrimaryColumn({ type: 'bigint' }) id!: string;
  @Column('text') name!: string;
  @Column('text') category!: string;
  @Column({ type: 'char', length: 2 }) country!: string;
  @Column({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}

@Entity('orders')
export class OrderEntity {
  @PrimaryColumn({ type: 'bigint' }) id!: string;
  @Column({ type: 'bigint', name: 'customer_id' }) customerId!: string;
  @Column({ type: 'bigint', name: 'merchant_id' }) merchantId!: string;
  @Column({ type: 'bigint', name: 'amount_minor' }) amountMinor!: string;
  @Column({ type: 'char', length: 3 }) currency!: string;
  @Column({ type: 'smallint', name: 'installment_count' }) installmentCount!: number;
  @Column('text') status!: string;
  @Column({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @Column({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}

@Entity('installments')
export class InstallmentEntity {
  @PrimaryColumn({ type: 'bigint' }) id!: string;
  @Column({ type: 'bigint', name: 'order_id' }) orderId!: string;
  @Column({ type: 'bigint', name: 'customer_id' }) customerId!: string;
  @Column('smallint') seq!: number;
  @Column({ type: 'bigint', name: 'amount_minor' }) amountMinor!: string;
  @Column({ type: 'char', length: 3 }) currency!: string;
  @Column({ type: 'date', name: 'due_date' }) dueDate!: string;
  @Column('text') status!: string;
  @Column({ type: 'timestamptz', name: 'paid_at', nullable: true }) paidAt!: Date | null;
  @Column({ type: 'integer', name: 'days_past_due' }) daysPastDue!: number;
  @Column({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}

@Entity('payments')
export class PaymentEntity {
  @PrimaryColumn({ type: 'bigint' }) id!: string;
  @Column({ type: 'bigint', name: 'installment_id' }) installmentId!: string;
  @Column({ type: 'bigint', name: 'customer_id' }) customerId!: string;
  @Column({ type: 'bigint', name: 'amount_minor' }) amountMinor!: string;
  @Column({ type: 'char', length: 3 }) currency!: string;
  @Column('text') status!: string;
  @Column({ type: 'text', name: 'failure_reason', nullable: true }) failureReason!: string | null;
  @Column({ type: 'timestamptz', name: 'attempted_at' }) attemptedAt!: Date;
}
