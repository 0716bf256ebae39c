// Public API of @bnpl/serving-contract: FeatureServingService's gRPC contract as TypeScript types, generated
// from proto/bnpl/featurestore/v1/*.proto by `npx nx run serving-contract:generate` into src/generated
// (committed, never edited by hand; `npx nx run serving-contract:check-generated` proves it is current).
//
// Each message has two types: `X` is what a sender may give (int64 as number | string | Long), `X__Output`
// is what a receiver gets from a loader using SERVING_LOADER_OPTIONS (int64 as decimal strings, enums as
// their names, repeated and map fields always present, oneofs named by their virtual field).
// One hand-written piece: fast encoders for GetOnlineFeaturesResponse (from a response object, or straight
// from the read path's result), byte-for-byte the generic one's output.

export { FEATURE_SERVING_SERVICE, loadFeatureServingService, SERVING_LOADER_OPTIONS, SERVING_PACKAGE, SERVING_PROTO_FILE } from './serving-proto';
export {
  encodeGetOnlineFeaturesResponse,
  encodeServedFeatures,
  serializeGetOnlineFeaturesResponse,
  type EncodedGetOnlineFeaturesResponse,
  type ServedFeatures,
  type ServedFeatureValue,
  type ServedValueType,
} from './codec/get-online-features-response.encoder';
export { installFastEncoders } from './codec/install-fast-encoders';

export type { ProtoGrpcType as ServingProtoGrpcType } from './generated/serving';
export type {
  FeatureServingServiceClient,
  FeatureServingServiceDefinition,
  FeatureServingServiceHandlers,
} from './generated/bnpl/featurestore/v1/FeatureServingService';

// GetOnlineFeatures
export type { GetOnlineFeaturesRequest, GetOnlineFeaturesRequest__Output } from './generated/bnpl/featurestore/v1/GetOnlineFeaturesRequest';
export type { GetOnlineFeaturesResponse, GetOnlineFeaturesResponse__Output } from './generated/bnpl/featurestore/v1/GetOnlineFeaturesResponse';
export type { EntityRow, EntityRow__Output } from './generated/bnpl/featurestore/v1/EntityRow';
export type { EntityKey, EntityKey__Output } from './generated/bnpl/featurestore/v1/EntityKey';
export type { FeatureList, FeatureList__Output } from './generated/bnpl/featurestore/v1/FeatureList';
export type { FeatureRow, FeatureRow__Output } from './generated/bnpl/featurestore/v1/FeatureRow';
export type { FeatureResult, FeatureResult__Output } from './generated/bnpl/featurestore/v1/FeatureResult';
export type { FeatureValue, FeatureValue__Output } from './generated/bnpl/featurestore/v1/FeatureValue';
export type { Money, Money__Output } from './generated/bnpl/featurestore/v1/Money';
export type { Timestamp, Timestamp__Output } from './generated/google/protobuf/Timestamp';
export { FeatureStatus, type FeatureStatus__Output } from './generated/bnpl/featurestore/v1/FeatureStatus';

// Catalog reads
export type { GetCatalogRequest, GetCatalogRequest__Output } from './generated/bnpl/featurestore/v1/GetCatalogRequest';
export type { GetCatalogResponse, GetCatalogResponse__Output } from './generated/bnpl/featurestore/v1/GetCatalogResponse';
export type { GetFeatureServiceRequest, GetFeatureServiceRequest__Output } from './generated/bnpl/featurestore/v1/GetFeatureServiceRequest';
export type { GetFeatureServiceResponse, GetFeatureServiceResponse__Output } from './generated/bnpl/featurestore/v1/GetFeatureServiceResponse';
export type { Entity, Entity__Output } from './generated/bnpl/featurestore/v1/Entity';
export type { FeatureView, FeatureView__Output } from './generated/bnpl/featurestore/v1/FeatureView';
export type { Feature, Feature__Output } from './generated/bnpl/featurestore/v1/Feature';
export type { FeatureService, FeatureService__Output } from './generated/bnpl/featurestore/v1/FeatureService';
export { FeatureViewKind, type FeatureViewKind__Output } from './generated/bnpl/featurestore/v1/FeatureViewKind';
export { ValueType, type ValueType__Output } from './generated/bnpl/featurestore/v1/ValueType';
