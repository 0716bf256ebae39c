/**
 * The request every scenario sends: credit_decision_v1 for one customer (or a batch), with a merchant and
 * a purchase amount, as the risk engine asks at checkout. One definition for REST, gRPC and the baseline,
 * so that they are asked for exactly the same thing.
 */
export const FEATURE_SERVICE = 'credit_decision_v1';
export const REQUESTED_AMOUNT_MINOR = 12_000;
export const CURRENCY = 'EUR';

/** The merchant a customer buys from in the benchmark: spread over all merchants, fixed per customer. */
export function merchantFor(customerId: number, merchants: number): number {
  return 1 + (customerId % merchants);
}

/** Path and query of the REST read of one customer. */
export function restFeaturePath(customerId: number, merchants: number): string {
  return (
    `/v1/customers/${customerId}/features?service=${FEATURE_SERVICE}&merchant_id=${merchantFor(customerId, merchants)}` +
    `&requested_amount_minor=${REQUESTED_AMOUNT_MINOR}&currency=${CURRENCY}`
  );
}

/** `GetOnlineFeaturesRequest` as @grpc/proto-loader takes it (keepCase, int64 as strings, oneof by field). */
export interface GrpcFeatureRequest {
  readonly feature_service: string;
  readonly entities: ReadonlyArray<{ readonly keys: ReadonlyArray<{ readonly join_key: string; readonly id: string }> }>;
  readonly request_context: Readonly<Record<string, { readonly money_value: { readonly amount_minor: string; readonly currency: string } }>>;
}

/** The gRPC request for these customers, one entity row each. */
export function grpcFeatureRequest(customerIds: readonly number[], merchants: number): GrpcFeatureRequest {
  return {
    feature_service: FEATURE_SERVICE,
    entities: customerIds.map((id) => ({
      keys: [
        { join_key: 'customer_id', id: String(id) },
        { join_key: 'merchant_id', id: String(merchantFor(id, merchants)) },
      ],
    })),
    request_context: { requested_amount: { money_value: { amount_minor: String(REQUESTED_AMOUNT_MINOR), currency: CURRENCY } } },
  };
}
