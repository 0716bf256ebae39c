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
 * @returns feature name -> value or null (null: the function yielded no value; apply the default).
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
    const value = (f.compute as (c: { inputs: typeof fInputs; features: typeof reads }) => unknown)({ inputs: fInputs, features: reads });
    if (value !== null && !isValueOfType(f.valueType, value)) {
      throw new FeatureComputationError('INVALID_FEATURE_VALUE', `${view.name}:${f.name} returned ${describeValue(value)}, not a ${f.valueType}`);
    }
    out[f.name] = value as FeatureValue | null;
  }
  return out;
}
