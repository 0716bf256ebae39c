/** Defaults and limits shared by the programmatic API and the CLI. */
export const DEFAULT_BATCH_SIZE = 20_000;
export const MAX_CUSTOMERS = 100_000_000;
export const MAX_MERCHANTS = 10_000_000;

/** The merchant count used when none is given: one per 200 customers, at least 50. */
export function defaultMerchantCount(customers: number): number {
  return Math.max(50, Math.round(customers / 200));
}
