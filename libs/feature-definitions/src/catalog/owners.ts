/** Teams answerable for catalog definitions. */
export const Owner = {
  CREDIT_RISK: 'team-credit-risk',
  MERCHANT_RISK: 'team-merchant-risk',
  DECISIONING: 'team-decisioning',
} as const;

/** Seconds, for TTLs. */
export const HOUR = 3_600;
export const DAY = 86_400;
