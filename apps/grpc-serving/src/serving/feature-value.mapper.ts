import { InvalidRequestInputError, type FeatureValue as DomainValue, type ValueType as DomainValueType } from '@bnpl/feature-definitions';
import { type FeatureValue, type FeatureValue__Output, type ValueType } from '@bnpl/serving-contract';

// int64 fields are given to the encoder as JS numbers: exact, because the domain keeps every integer
// within 2^53 - 1, and the encoder's fast path (a decimal string would go through BigInt). Receivers
// decode them as decimal strings (SERVING_LOADER_OPTIONS), so no client ever sees a rounded number.

/** A domain value of `type` as a protobuf FeatureValue. Throws (an internal error) on a value of another type. */
export function toFeatureValue(type: DomainValueType, value: DomainValue): FeatureValue {
  switch (type) {
    case 'INT64':
      if (typeof value === 'number') return { int64_value: value };
      break;
    case 'DOUBLE':
      if (typeof value === 'number') return { double_value: value };
      break;
    case 'STRING':
      if (typeof value === 'string') return { string_value: value };
      break;
    case 'BOOL':
      if (typeof value === 'boolean') return { bool_value: value };
      break;
    case 'MONEY':
      // Money is the only object a FeatureValue can be; the domain validated it when it was made.
      if (typeof value === 'object') return { money_value: { amount_minor: value.amountMinor, currency: value.currency } };
      break;
  }
  throw new TypeError(`Cannot serve ${JSON.stringify(value)} as ${type}`);
}

/**
 * A request_context value as the domain takes it (`money_value` -> `{ amountMinor, currency }`). Whether
 * it has the type its input needs is the use case's check; here only what cannot be represented is
 * rejected: no value set, an int64 beyond the exact range of a JS number.
 * Throws InvalidRequestInputError (reason INVALID_REQUEST_INPUT) naming the input.
 */
export function fromRequestValue(input: string, value: FeatureValue__Output): DomainValue {
  switch (value.kind) {
    case 'int64_value':
      return exactInteger(input, value.int64_value);
    case 'double_value':
      return value.double_value ?? 0;
    case 'string_value':
      return value.string_value ?? '';
    case 'bool_value':
      return value.bool_value ?? false;
    case 'money_value':
      return { amountMinor: exactInteger(input, value.money_value?.amount_minor), currency: value.money_value?.currency ?? '' };
    default:
      throw new InvalidRequestInputError(input, 'no value: set one of int64_value, double_value, string_value, bool_value, money_value');
  }
}

function exactInteger(input: string, decimal: string | undefined): number {
  const n = Number(decimal ?? '0');
  if (!Number.isSafeInteger(n)) throw new InvalidRequestInputError(input, `${decimal} is beyond the exact integer range (-9007199254740991 to 9007199254740991)`);
  return n;
}

const VALUE_TYPES: Readonly<Record<DomainValueType, ValueType>> = {
  INT64: 'VALUE_TYPE_INT64',
  DOUBLE: 'VALUE_TYPE_DOUBLE',
  STRING: 'VALUE_TYPE_STRING',
  BOOL: 'VALUE_TYPE_BOOL',
  MONEY: 'VALUE_TYPE_MONEY',
};

/** A domain value type as the ValueType enum's name. */
export function toValueType(type: DomainValueType): ValueType {
  return VALUE_TYPES[type];
}
