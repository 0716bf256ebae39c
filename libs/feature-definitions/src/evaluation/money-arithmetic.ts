import { FeatureComputationError } from '../errors/feature-computation.error';
import { NO_CURRENCY, type Money } from '../model/value-type';

/**
 * `floor((2n + d) / (2d))`: n / d rounded to the nearest integer, halves up (towards +infinity).
 * Exact for any safe integers (BigInt arithmetic); `d` must not be 0.
 */
export function divideRoundHalfUp(n: number, d: number): number {
  const num = 2n * BigInt(n) + BigInt(d);
  const den = 2n * BigInt(d);
  let q = num / den; // truncates towards zero
  if (num % den !== 0n && num < 0n !== den < 0n) q -= 1n;
  const result = Number(q);
  if (!Number.isSafeInteger(result)) throw new FeatureComputationError('VALUE_OUT_OF_RANGE', `${n} / ${d} is beyond 2^53`);
  return result;
}

/**
 * a + b for request-time money arithmetic. A zero amount in `XXX` (NO_CURRENCY, what MONEY defaults
 * carry) is neutral; otherwise different currencies give null (no value) rather than a wrong sum.
 */
export function addMoney(a: Money, b: Money): Money | null {
  if (a.amountMinor === 0 && a.currency === NO_CURRENCY) return b;
  if (b.amountMinor === 0 && b.currency === NO_CURRENCY) return a;
  if (a.currency !== b.currency) return null;
  const amountMinor = a.amountMinor + b.amountMinor;
  if (!Number.isSafeInteger(amountMinor)) throw new FeatureComputationError('VALUE_OUT_OF_RANGE', `${a.amountMinor} + ${b.amountMinor} is beyond 2^53`);
  return { amountMinor, currency: a.currency };
}
