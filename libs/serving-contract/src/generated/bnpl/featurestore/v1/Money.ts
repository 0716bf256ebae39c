// Original file: proto/bnpl/featurestore/v1/serving.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Money is an amount in integer minor units (cents) with its ISO 4217 currency.
 */
export interface Money {
  /**
   * The amount in minor units. Values beyond 2^53 - 1 in magnitude are rejected.
   */
  'amount_minor'?: (number | string | Long);
  /**
   * The ISO 4217 currency code, e.g. EUR. Defaults use XXX (no currency).
   */
  'currency'?: (string);
}

/**
 * Money is an amount in integer minor units (cents) with its ISO 4217 currency.
 */
export interface Money__Output {
  /**
   * The amount in minor units. Values beyond 2^53 - 1 in magnitude are rejected.
   */
  'amount_minor': (string);
  /**
   * The ISO 4217 currency code, e.g. EUR. Defaults use XXX (no currency).
   */
  'currency': (string);
}
