// Original file: proto/bnpl/featurestore/v1/serving.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { GetCatalogRequest as _bnpl_featurestore_v1_GetCatalogRequest, GetCatalogRequest__Output as _bnpl_featurestore_v1_GetCatalogRequest__Output } from '../../../bnpl/featurestore/v1/GetCatalogRequest';
import type { GetCatalogResponse as _bnpl_featurestore_v1_GetCatalogResponse, GetCatalogResponse__Output as _bnpl_featurestore_v1_GetCatalogResponse__Output } from '../../../bnpl/featurestore/v1/GetCatalogResponse';
import type { GetFeatureServiceRequest as _bnpl_featurestore_v1_GetFeatureServiceRequest, GetFeatureServiceRequest__Output as _bnpl_featurestore_v1_GetFeatureServiceRequest__Output } from '../../../bnpl/featurestore/v1/GetFeatureServiceRequest';
import type { GetFeatureServiceResponse as _bnpl_featurestore_v1_GetFeatureServiceResponse, GetFeatureServiceResponse__Output as _bnpl_featurestore_v1_GetFeatureServiceResponse__Output } from '../../../bnpl/featurestore/v1/GetFeatureServiceResponse';
import type { GetOnlineFeaturesRequest as _bnpl_featurestore_v1_GetOnlineFeaturesRequest, GetOnlineFeaturesRequest__Output as _bnpl_featurestore_v1_GetOnlineFeaturesRequest__Output } from '../../../bnpl/featurestore/v1/GetOnlineFeaturesRequest';
import type { GetOnlineFeaturesResponse as _bnpl_featurestore_v1_GetOnlineFeaturesResponse, GetOnlineFeaturesResponse__Output as _bnpl_featurestore_v1_GetOnlineFeaturesResponse__Output } from '../../../bnpl/featurestore/v1/GetOnlineFeaturesResponse';

/**
 * FeatureServingService serves online feature values to the risk engine and describes the catalog.
 * 
 * Errors carry a stable reason (e.g. UNKNOWN_FEATURE, INVALID_ENTITY_ID, FEATURES_UNAVAILABLE) in the
 * trailing metadata key "reason", the same reason the REST API reports. Bad input is INVALID_ARGUMENT, a
 * dependency down is UNAVAILABLE (retryable); an unknown entity is not an error.
 */
export interface FeatureServingServiceClient extends grpc.Client {
  /**
   * GetCatalog describes the whole catalog: entities, feature views and feature services, as the REST
   * API's GET /v1/catalog does.
   */
  GetCatalog(argument: _bnpl_featurestore_v1_GetCatalogRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_bnpl_featurestore_v1_GetCatalogResponse__Output>): grpc.ClientUnaryCall;
  GetCatalog(argument: _bnpl_featurestore_v1_GetCatalogRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_bnpl_featurestore_v1_GetCatalogResponse__Output>): grpc.ClientUnaryCall;
  GetCatalog(argument: _bnpl_featurestore_v1_GetCatalogRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_bnpl_featurestore_v1_GetCatalogResponse__Output>): grpc.ClientUnaryCall;
  GetCatalog(argument: _bnpl_featurestore_v1_GetCatalogRequest, callback: grpc.requestCallback<_bnpl_featurestore_v1_GetCatalogResponse__Output>): grpc.ClientUnaryCall;
  /**
   * GetCatalog describes the whole catalog: entities, feature views and feature services, as the REST
   * API's GET /v1/catalog does.
   */
  getCatalog(argument: _bnpl_featurestore_v1_GetCatalogRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_bnpl_featurestore_v1_GetCatalogResponse__Output>): grpc.ClientUnaryCall;
  getCatalog(argument: _bnpl_featurestore_v1_GetCatalogRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_bnpl_featurestore_v1_GetCatalogResponse__Output>): grpc.ClientUnaryCall;
  getCatalog(argument: _bnpl_featurestore_v1_GetCatalogRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_bnpl_featurestore_v1_GetCatalogResponse__Output>): grpc.ClientUnaryCall;
  getCatalog(argument: _bnpl_featurestore_v1_GetCatalogRequest, callback: grpc.requestCallback<_bnpl_featurestore_v1_GetCatalogResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * GetFeatureService describes one feature service with the features it resolves to. An unknown name is
   * NOT_FOUND with reason UNKNOWN_FEATURE_SERVICE (as REST's GET /v1/catalog/services/{name} is a 404).
   */
  GetFeatureService(argument: _bnpl_featurestore_v1_GetFeatureServiceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_bnpl_featurestore_v1_GetFeatureServiceResponse__Output>): grpc.ClientUnaryCall;
  GetFeatureService(argument: _bnpl_featurestore_v1_GetFeatureServiceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_bnpl_featurestore_v1_GetFeatureServiceResponse__Output>): grpc.ClientUnaryCall;
  GetFeatureService(argument: _bnpl_featurestore_v1_GetFeatureServiceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_bnpl_featurestore_v1_GetFeatureServiceResponse__Output>): grpc.ClientUnaryCall;
  GetFeatureService(argument: _bnpl_featurestore_v1_GetFeatureServiceRequest, callback: grpc.requestCallback<_bnpl_featurestore_v1_GetFeatureServiceResponse__Output>): grpc.ClientUnaryCall;
  /**
   * GetFeatureService describes one feature service with the features it resolves to. An unknown name is
   * NOT_FOUND with reason UNKNOWN_FEATURE_SERVICE (as REST's GET /v1/catalog/services/{name} is a 404).
   */
  getFeatureService(argument: _bnpl_featurestore_v1_GetFeatureServiceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_bnpl_featurestore_v1_GetFeatureServiceResponse__Output>): grpc.ClientUnaryCall;
  getFeatureService(argument: _bnpl_featurestore_v1_GetFeatureServiceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_bnpl_featurestore_v1_GetFeatureServiceResponse__Output>): grpc.ClientUnaryCall;
  getFeatureService(argument: _bnpl_featurestore_v1_GetFeatureServiceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_bnpl_featurestore_v1_GetFeatureServiceResponse__Output>): grpc.ClientUnaryCall;
  getFeatureService(argument: _bnpl_featurestore_v1_GetFeatureServiceRequest, callback: grpc.requestCallback<_bnpl_featurestore_v1_GetFeatureServiceResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * GetOnlineFeatures returns the values of a feature service, or of a list of features, for one or many
   * entities in one call. Rows come in the order of the requested entities, values in the order of
   * feature_names.
   */
  GetOnlineFeatures(argument: _bnpl_featurestore_v1_GetOnlineFeaturesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_bnpl_featurestore_v1_GetOnlineFeaturesResponse__Output>): grpc.ClientUnaryCall;
  GetOnlineFeatures(argument: _bnpl_featurestore_v1_GetOnlineFeaturesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_bnpl_featurestore_v1_GetOnlineFeaturesResponse__Output>): grpc.ClientUnaryCall;
  GetOnlineFeatures(argument: _bnpl_featurestore_v1_GetOnlineFeaturesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_bnpl_featurestore_v1_GetOnlineFeaturesResponse__Output>): grpc.ClientUnaryCall;
  GetOnlineFeatures(argument: _bnpl_featurestore_v1_GetOnlineFeaturesRequest, callback: grpc.requestCallback<_bnpl_featurestore_v1_GetOnlineFeaturesResponse__Output>): grpc.ClientUnaryCall;
  /**
   * GetOnlineFeatures returns the values of a feature service, or of a list of features, for one or many
   * entities in one call. Rows come in the order of the requested entities, values in the order of
   * feature_names.
   */
  getOnlineFeatures(argument: _bnpl_featurestore_v1_GetOnlineFeaturesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_bnpl_featurestore_v1_GetOnlineFeaturesResponse__Output>): grpc.ClientUnaryCall;
  getOnlineFeatures(argument: _bnpl_featurestore_v1_GetOnlineFeaturesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_bnpl_featurestore_v1_GetOnlineFeaturesResponse__Output>): grpc.ClientUnaryCall;
  getOnlineFeatures(argument: _bnpl_featurestore_v1_GetOnlineFeaturesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_bnpl_featurestore_v1_GetOnlineFeaturesResponse__Output>): grpc.ClientUnaryCall;
  getOnlineFeatures(argument: _bnpl_featurestore_v1_GetOnlineFeaturesRequest, callback: grpc.requestCallback<_bnpl_featurestore_v1_GetOnlineFeaturesResponse__Output>): grpc.ClientUnaryCall;
  
}

/**
 * FeatureServingService serves online feature values to the risk engine and describes the catalog.
 * 
 * Errors carry a stable reason (e.g. UNKNOWN_FEATURE, INVALID_ENTITY_ID, FEATURES_UNAVAILABLE) in the
 * trailing metadata key "reason", the same reason the REST API reports. Bad input is INVALID_ARGUMENT, a
 * dependency down is UNAVAILABLE (retryable); an unknown entity is not an error.
 */
export interface FeatureServingServiceHandlers extends grpc.UntypedServiceImplementation {
  /**
   * GetCatalog describes the whole catalog: entities, feature views and feature services, as the REST
   * API's GET /v1/catalog does.
   */
  GetCatalog: grpc.handleUnaryCall<_bnpl_featurestore_v1_GetCatalogRequest__Output, _bnpl_featurestore_v1_GetCatalogResponse>;
  
  /**
   * GetFeatureService describes one feature service with the features it resolves to. An unknown name is
   * NOT_FOUND with reason UNKNOWN_FEATURE_SERVICE (as REST's GET /v1/catalog/services/{name} is a 404).
   */
  GetFeatureService: grpc.handleUnaryCall<_bnpl_featurestore_v1_GetFeatureServiceRequest__Output, _bnpl_featurestore_v1_GetFeatureServiceResponse>;
  
  /**
   * GetOnlineFeatures returns the values of a feature service, or of a list of features, for one or many
   * entities in one call. Rows come in the order of the requested entities, values in the order of
   * feature_names.
   */
  GetOnlineFeatures: grpc.handleUnaryCall<_bnpl_featurestore_v1_GetOnlineFeaturesRequest__Output, _bnpl_featurestore_v1_GetOnlineFeaturesResponse>;
  
}

export interface FeatureServingServiceDefinition extends grpc.ServiceDefinition {
  GetCatalog: MethodDefinition<_bnpl_featurestore_v1_GetCatalogRequest, _bnpl_featurestore_v1_GetCatalogResponse, _bnpl_featurestore_v1_GetCatalogRequest__Output, _bnpl_featurestore_v1_GetCatalogResponse__Output>
  GetFeatureService: MethodDefinition<_bnpl_featurestore_v1_GetFeatureServiceRequest, _bnpl_featurestore_v1_GetFeatureServiceResponse, _bnpl_featurestore_v1_GetFeatureServiceRequest__Output, _bnpl_featurestore_v1_GetFeatureServiceResponse__Output>
  GetOnlineFeatures: MethodDefinition<_bnpl_featurestore_v1_GetOnlineFeaturesRequest, _bnpl_featurestore_v1_GetOnlineFeaturesResponse, _bnpl_featurestore_v1_GetOnlineFeaturesRequest__Output, _bnpl_featurestore_v1_GetOnlineFeaturesResponse__Output>
}
