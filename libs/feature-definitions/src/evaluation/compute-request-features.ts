import { FeatureComputationError } from '../errors/feature-computation.error';
import { InvalidRequestInputError } from '../errors/invalid-argument.error';
import { UnknownFeatureError } from '../errors/unknown-feature.error';
import type { RequestFeatureView } from '../model/catalog';
import { describeValue, isValueOfType, type FeatureRow, type FeatureValue } from '../model/value-type';

/**
 * Computes request-time features of a request view.
 *
 * @param inputs the request's inputs by name; each input a computed feature declares must be present and
 *   of its declared type (else InvalidRequestInputError, a client error). Others are ignored.
 * @param stored stored feature values by `view:feature` ref, as served (defaults applied); a ref absent
 *   here is passed to the function as null.
 * @param featureNames which features to compute (default: all of the view), in this order.
 * @returns feature name -> value or null (null: the function yielded no value; apply the default). A
 *   result out of the exact range (arithmetic on client input beyond 2^53-1 minor units or units, a
 *   non-finite DOUBLE) is no value either: the served status is DEFAULT, never an internal error, since
 *   any in-range input may meet a large stored value.
 * @throws FeatureComputationError when a function returns a value of the wrong type (a definition bug).
 */
export function computeRequestFeatures(
  view: RequestFeatureView,
  inputs: Readonly<Record<string, unknown>>,
  stored: Readonly<Record<string, FeatureValue | null | undefined>>,
  featureNames?: readonly string[],
): FeatureRow {
  const features = featureNames
    ? featureNames.map((n) => {
        const f = view.features.find((x) => x.name === n);
        if (!f) throw new UnknownFeatureError(`${view.name}:${n}`);
        return f;
      })
    : view.features;
  const out: Record<string, FeatureValue | null> = {};
  for (const f of features) {
    const fInputs: Record<string, FeatureValue> = {};
    for (const [name, type] of Object.entries(f.inputs)) {
      const value = inputs[name];
      if (value === undefined || value === null) throw new InvalidRequestInputError(name, `required by ${view.name}:${f.name}`);
      if (!isValueOfType(type, value)) throw new InvalidRequestInputError(name, `${describeValue(value)} is not a valid ${type}`);
      fInputs[name] = value;
    }
    const reads: Record<string, FeatureValue | null> = {};
    for (const ref of f.reads) reads[ref] = stored[ref] ?? null;
    const value = computeInRange(f.compute as (c: { inputs: typeof fInputs; features: typeof reads }) => unknown, { inputs: fInputs, features: reads });
    if (value !== null && !isValueOfType(f.valueType, value)) {
      throw new FeatureComputationError('INVALID_FEATURE_VALUE', `${view.name}:${f.name} returned ${describeValue(value)}, not a ${f.valueType}`);
    }
    out[f.name] = value as FeatureValue | null;
  }
  return out;
}

/**
 * Runs a request-time function; arithmetic out of the exact range gives null (no value) instead of an error
 * or a wrong number: a VALUE_OUT_OF_RANGE from the money helpers, a number that is not finite, a MONEY
 * amount beyond 2^53-1. Other results are returned as they are, to be type-checked by the caller.
 */
function computeInRange<C>(compute: (context: C) => unknown, context: C): unknown {
  let value: unknown;
  try {
    value = compute(context);
  } catch (error) {
    if (error instanceof FeatureComputationError && error.reason === 'VALUE_OUT_OF_RANGE') return null;
    throw error;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  if (typeof value === 'object' && value !== null && 'amountMinor' in value && typeof value.amountMinor === 'number' && !Number.isSafeInteger(value.amountMinor)) return null;
  return value;
}
