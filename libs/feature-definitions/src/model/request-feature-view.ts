import type { FeatureValue, ValueOf, ValueType } from './value-type';

/** What a request-time feature's function receives. */
export interface RequestFeatureContext {
  /** The request inputs the feature declared, validated against their declared types. */
  readonly inputs: Readonly<Record<string, FeatureValue>>;
  /**
   * The stored features it declared in `reads`, by `view:feature` ref, as served (defaults applied), or
   * null when the caller has no value at all.
   */
  readonly features: Readonly<Record<string, FeatureValue | null>>;
}

/**
 * A feature computed at request time from request inputs and stored features, by a pure function.
 * A null result means no value (the default applies).
 */
export interface RequestFeatureDefinition<T extends ValueType = ValueType> {
  readonly name: string;
  readonly valueType: T;
  readonly default: ValueOf<T>;
  readonly description: string;
  /** Request input name -> its type, e.g. `{ requested_amount: 'MONEY' }`. */
  readonly inputs: Readonly<Record<string, ValueType>>;
  /** The stored features it reads, as `view:feature` refs. */
  readonly reads: readonly string[];
  readonly compute: (context: RequestFeatureContext) => ValueOf<T> | null;
}

export type AnyRequestFeatureDefinition = { [K in ValueType]: RequestFeatureDefinition<K> }[ValueType];

/** A named group of request-time features; referenced in services as `name:feature` like stored views. */
export interface RequestFeatureViewDefinition {
  readonly name: string;
  readonly owner: string;
  readonly description: string;
  readonly features: readonly AnyRequestFeatureDefinition[];
}

/** Declares a request-time feature; the default and the function's result are type-checked. */
export function requestFeature<T extends ValueType>(definition: RequestFeatureDefinition<T>): RequestFeatureDefinition<T> {
  return definition;
}

/** Declares a group of request-time features. */
export function defineRequestFeatureView(definition: RequestFeatureViewDefinition): RequestFeatureViewDefinition {
  return definition;
}
