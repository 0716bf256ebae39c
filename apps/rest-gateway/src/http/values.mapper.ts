import { type FeatureValue, type Money } from '@bnpl/feature-definitions';
import { type z } from 'zod';
import { type featureValueSchema, type MoneyInput, type moneySchema } from './values.schema';

/** MONEY as the REST API writes it (the shape of `moneySchema`). */
export type MoneyJson = z.output<typeof moneySchema>;

/** A feature value as the REST API writes it (the shape of `featureValueSchema`). */
export type FeatureValueJson = z.output<typeof featureValueSchema>;

/** Domain money -> `{ amount_minor: "12000", currency: "EUR" }`, as gRPC's JSON mapping writes it. */
export function toMoneyJson(money: Money): MoneyJson {
  return { amount_minor: String(money.amountMinor), currency: money.currency };
}

/** A domain feature value -> its REST form: MONEY is the only object a value can be; the rest is JSON as is. */
export function toFeatureValueJson(value: FeatureValue): FeatureValueJson {
  return typeof value === 'object' ? toMoneyJson(value) : value;
}

/**
 * A validated MONEY request value -> domain money. The schema has checked that the amount is an integer a
 * double holds exactly, so `Number` is exact.
 */
export function fromMoneyInput(money: MoneyInput): Money {
  return { amountMinor: Number(money.amount_minor), currency: money.currency };
}

/**
 * Validated request inputs (`request_context`, or Feast request data) -> the read path's request context.
 * MONEY is the only object an input can be (the schema allows no other), so objects are money.
 */
export function fromRequestInputs(inputs: Readonly<Record<string, unknown>>): Record<string, FeatureValue> {
  const context: Record<string, FeatureValue> = {};
  for (const [name, value] of Object.entries(inputs)) {
    if (value !== undefined) context[name] = typeof value === 'object' && value !== null ? fromMoneyInput(value as MoneyInput) : (value as FeatureValue);
  }
  return context;
}
