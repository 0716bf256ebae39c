import { quoteInput, type FeatureValue as DomainValue, type ValueType as DomainValueType } from '@bnpl/feature-definitions';
import { InvalidFeatureRequestError, type CatalogDescription, type EntityRow, type GetOnlineFeaturesCommand, type GetOnlineFeaturesResult } from '@bnpl/serving';
import { encodeServedFeatures, type EncodedGetOnlineFeaturesResponse, type EntityRow__Output, type GetOnlineFeaturesRequest__Output } from '@bnpl/serving-contract';
import { fromRequestValue } from './feature-value.mapper';

/** What the mappers need to know of the catalog, derived once per process (see `servingSchemaOf`). */
export interface ServingSchema {
  /** Join keys an entity row may use, e.g. customer_id, merchant_id. */
  readonly joinKeys: ReadonlySet<string>;
  /**
   * The value type of each feature in `names` (`view:feature` refs): results carry bare JS values,
   * protobuf wants them typed. Throws (an internal error) on a feature the catalog does not have.
   */
  valueTypesOf(names: readonly string[]): readonly DomainValueType[];
}

/** The mappers' view of a catalog. */
export function servingSchemaOf(catalog: CatalogDescription): ServingSchema {
  const valueTypes = new Map<string, DomainValueType>();
  for (const view of catalog.views) for (const f of view.features) valueTypes.set(f.ref, f.valueType);
  // Answers of one feature selection share one names array (the read plan's): its types are looked up once.
  let lastNames: readonly string[] | null = null;
  let lastTypes: readonly DomainValueType[] = [];
  return {
    joinKeys: new Set(catalog.entities.map((e) => e.joinKey)),
    valueTypesOf(names) {
      if (names !== lastNames) {
        lastTypes = names.map((ref) => {
          const type = valueTypes.get(ref);
          if (type === undefined) throw new Error(`Feature ${ref} is not in the catalog the mapper was built from`);
          return type;
        });
        lastNames = names;
      }
      return lastTypes;
    },
  };
}

/**
 * A GetOnlineFeaturesRequest as the use case's command. Checks only what the protobuf shape allows and the
 * command cannot express (both or neither selection, an unknown or repeated join key in a row, a
 * request_context value without a value or beyond the exact integer range); ids, names, counts and input
 * types are validated once, by the use case, as for REST.
 * Throws InvalidFeatureRequestError or InvalidRequestInputError.
 */
export function toGetOnlineFeaturesCommand(request: GetOnlineFeaturesRequest__Output, schema: ServingSchema): GetOnlineFeaturesCommand {
  const hasService = request.feature_service !== undefined;
  const hasFeatures = request.features !== undefined && request.features !== null;
  if (hasService === hasFeatures) {
    throw new InvalidFeatureRequestError(
      'INVALID_FEATURE_SELECTION',
      hasService ? 'Give either feature_service or features, not both' : 'Give feature_service or features: neither is set',
    );
  }
  const entityRows = request.entities.map((row, rowIndex) => toEntityRow(row, rowIndex, schema.joinKeys));
  const names = Object.keys(request.request_context);
  let requestContext: Record<string, DomainValue> | undefined;
  if (names.length > 0) {
    requestContext = {};
    for (const name of names) requestContext[name] = fromRequestValue(name, request.request_context[name]);
  }
  return {
    ...(hasService ? { featureService: request.feature_service } : { features: request.features?.refs ?? [] }),
    entityRows,
    ...(requestContext ? { requestContext } : {}),
  };
}

function toEntityRow(row: EntityRow__Output, rowIndex: number, joinKeys: ReadonlySet<string>): EntityRow {
  const ids: Record<string, string> = {};
  for (const { join_key: joinKey, id } of row.keys) {
    if (!joinKeys.has(joinKey)) {
      throw new InvalidFeatureRequestError(
        'INVALID_ENTITY_ROW',
        `Entity row ${rowIndex}: unknown join key ${quoteInput(joinKey)}: expected one of ${[...joinKeys].join(', ')}`,
        { rowIndex, field: joinKey },
      );
    }
    if (ids[joinKey] !== undefined) {
      throw new InvalidFeatureRequestError('INVALID_ENTITY_ROW', `Entity row ${rowIndex}: join key ${joinKey} given more than once`, { rowIndex, field: joinKey });
    }
    ids[joinKey] = id;
  }
  return ids;
}

/**
 * The use case's result as an encoded GetOnlineFeaturesResponse, written straight from the result (no
 * message object per value): rows in request order, values typed by the catalog, statuses by enum,
 * event times as Timestamps (unset for MISSING). Throws (an internal error) if a feature is not in
 * `schema` or a value does not have its feature's type.
 */
export function encodeOnlineFeaturesResponse(result: GetOnlineFeaturesResult, schema: ServingSchema): EncodedGetOnlineFeaturesResponse {
  return encodeServedFeatures(result, schema.valueTypesOf(result.feature_names));
}
