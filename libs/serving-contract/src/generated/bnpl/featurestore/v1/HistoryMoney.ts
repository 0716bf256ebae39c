// Original file: proto/bnpl/featurestore/v1/messaging.proto

import type { Long } from '@grpc/proto-loader';

/**
 * HistoryMoney is an amount of money in minor units of its currency.
 */
export interface HistoryMoney {
  /**
   * The amount in minor units (cents).
   */
  'amount_minor'?: (number | string | Long);
  /**
   * The ISO 4217 currency code, e.g. EUR.
   */
  'currency'?: (string);
}

/**
 * HistoryMoney is an amount of money in minor units of its currency.
 */
export interface HistoryMoney__Output {
  /**
   * The amount in minor units (cents).
   */
  'amount_minor': (string);
  /**
   * The ISO 4217 currency code, e.g. EUR.
   */
  'currency': (string);
}
