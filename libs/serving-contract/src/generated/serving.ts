import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Entity as _bnpl_featurestore_v1_Entity, Entity__Output as _bnpl_featurestore_v1_Entity__Output } from './bnpl/featurestore/v1/Entity';
import type { EntityKey as _bnpl_featurestore_v1_EntityKey, EntityKey__Output as _bnpl_featurestore_v1_EntityKey__Output } from './bnpl/featurestore/v1/EntityKey';
import type { EntityRow as _bnpl_featurestore_v1_EntityRow, EntityRow__Output as _bnpl_featurestore_v1_EntityRow__Output } from './bnpl/featurestore/v1/EntityRow';
import type { Feature as _bnpl_featurestore_v1_Feature, Feature__Output as _bnpl_featurestore_v1_Feature__Output } from './bnpl/featurestore/v1/Feature';
import type { FeatureList as _bnpl_featurestore_v1_FeatureList, FeatureList__Output as _bnpl_featurestore_v1_FeatureList__Output } from './bnpl/featurestore/v1/FeatureList';
import type { FeatureResult as _bnpl_featurestore_v1_FeatureResult, FeatureResult__Output as _bnpl_featurestore_v1_FeatureResult__Output } from './bnpl/featurestore/v1/FeatureResult';
import type { FeatureRow as _bnpl_featurestore_v1_FeatureRow, FeatureRow__Output as _bnpl_featurestore_v1_FeatureRow__Output } from './bnpl/featurestore/v1/FeatureRow';
import type { FeatureService as _bnpl_featurestore_v1_FeatureService, FeatureService__Output as _bnpl_featurestore_v1_FeatureService__Output } from './bnpl/featurestore/v1/FeatureService';
import type { FeatureServingServiceClient as _bnpl_featurestore_v1_FeatureServingServiceClient, FeatureServingServiceDefinition as _bnpl_featurestore_v1_FeatureServingServiceDefinition } from './bnpl/featurestore/v1/FeatureServingService';
import type { FeatureValue as _bnpl_featurestore_v1_FeatureValue, FeatureValue__Output as _bnpl_featurestore_v1_FeatureValue__Output } from './bnpl/featurestore/v1/FeatureValue';
import type { FeatureView as _bnpl_featurestore_v1_FeatureView, FeatureView__Output as _bnpl_featurestore_v1_FeatureView__Output } from './bnpl/featurestore/v1/FeatureView';
import type { GetCatalogRequest as _bnpl_featurestore_v1_GetCatalogRequest, GetCatalogRequest__Output as _bnpl_featurestore_v1_GetCatalogRequest__Output } from './bnpl/featurestore/v1/GetCatalogRequest';
import type { GetCatalogResponse as _bnpl_featurestore_v1_GetCatalogResponse, GetCatalogResponse__Output as _bnpl_featurestore_v1_GetCatalogResponse__Output } from './bnpl/featurestore/v1/GetCatalogResponse';
import type { GetFeatureServiceRequest as _bnpl_featurestore_v1_GetFeatureServiceRequest, GetFeatureServiceRequest__Output as _bnpl_featurestore_v1_GetFeatureServiceRequest__Output } from './bnpl/featurestore/v1/GetFeatureServiceRequest';
import type { GetFeatureServiceResponse as _bnpl_featurestore_v1_GetFeatureServiceResponse, GetFeatureServiceResponse__Output as _bnpl_featurestore_v1_GetFeatureServiceResponse__Output } from './bnpl/featurestore/v1/GetFeatureServiceResponse';
import type { GetOnlineFeaturesRequest as _bnpl_featurestore_v1_GetOnlineFeaturesRequest, GetOnlineFeaturesRequest__Output as _bnpl_featurestore_v1_GetOnlineFeaturesRequest__Output } from './bnpl/featurestore/v1/GetOnlineFeaturesRequest';
import type { GetOnlineFeaturesResponse as _bnpl_featurestore_v1_GetOnlineFeaturesResponse, GetOnlineFeaturesResponse__Output as _bnpl_featurestore_v1_GetOnlineFeaturesResponse__Output } from './bnpl/featurestore/v1/GetOnlineFeaturesResponse';
import type { Money as _bnpl_featurestore_v1_Money, Money__Output as _bnpl_featurestore_v1_Money__Output } from './bnpl/featurestore/v1/Money';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from './google/protobuf/Timestamp';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  bnpl: {
    featurestore: {
      v1: {
        Entity: MessageTypeDefinition<_bnpl_featurestore_v1_Entity, _bnpl_featurestore_v1_Entity__Output>
        EntityKey: MessageTypeDefinition<_bnpl_featurestore_v1_EntityKey, _bnpl_featurestore_v1_EntityKey__Output>
        EntityRow: MessageTypeDefinition<_bnpl_featurestore_v1_EntityRow, _bnpl_featurestore_v1_EntityRow__Output>
        Feature: MessageTypeDefinition<_bnpl_featurestore_v1_Feature, _bnpl_featurestore_v1_Feature__Output>
        FeatureList: MessageTypeDefinition<_bnpl_featurestore_v1_FeatureList, _bnpl_featurestore_v1_FeatureList__Output>
        FeatureResult: MessageTypeDefinition<_bnpl_featurestore_v1_FeatureResult, _bnpl_featurestore_v1_FeatureResult__Output>
        FeatureRow: MessageTypeDefinition<_bnpl_featurestore_v1_FeatureRow, _bnpl_featurestore_v1_FeatureRow__Output>
        FeatureService: MessageTypeDefinition<_bnpl_featurestore_v1_FeatureService, _bnpl_featurestore_v1_FeatureService__Output>
        /**
         * FeatureServingService serves online feature values to the risk engine and describes the catalog.
         * 
         * Errors carry a stable reason (e.g. UNKNOWN_FEATURE, INVALID_ENTITY_ID, FEATURES_UNAVAILABLE) in the
         * trailing metadata key "reason", the same reason the REST API reports. Bad input is INVALID_ARGUMENT, a
         * dependency down is UNAVAILABLE (retryable); an unknown entity is not an error.
         */
        FeatureServingService: SubtypeConstructor<typeof grpc.Client, _bnpl_featurestore_v1_FeatureServingServiceClient> & { service: _bnpl_featurestore_v1_FeatureServingServiceDefinition }
        FeatureStatus: EnumTypeDefinition
        FeatureValue: MessageTypeDefinition<_bnpl_featurestore_v1_FeatureValue, _bnpl_featurestore_v1_FeatureValue__Output>
        FeatureView: MessageTypeDefinition<_bnpl_featurestore_v1_FeatureView, _bnpl_featurestore_v1_FeatureView__Output>
        FeatureViewKind: EnumTypeDefinition
        GetCatalogRequest: MessageTypeDefinition<_bnpl_featurestore_v1_GetCatalogRequest, _bnpl_featurestore_v1_GetCatalogRequest__Output>
        GetCatalogResponse: MessageTypeDefinition<_bnpl_featurestore_v1_GetCatalogResponse, _bnpl_featurestore_v1_GetCatalogResponse__Output>
        GetFeatureServiceRequest: MessageTypeDefinition<_bnpl_featurestore_v1_GetFeatureServiceRequest, _bnpl_featurestore_v1_GetFeatureServiceRequest__Output>
        GetFeatureServiceResponse: MessageTypeDefinition<_bnpl_featurestore_v1_GetFeatureServiceResponse, _bnpl_featurestore_v1_GetFeatureServiceResponse__Output>
        GetOnlineFeaturesRequest: MessageTypeDefinition<_bnpl_featurestore_v1_GetOnlineFeaturesRequest, _bnpl_featurestore_v1_GetOnlineFeaturesRequest__Output>
        GetOnlineFeaturesResponse: MessageTypeDefinition<_bnpl_featurestore_v1_GetOnlineFeaturesResponse, _bnpl_featurestore_v1_GetOnlineFeaturesResponse__Output>
        Money: MessageTypeDefinition<_bnpl_featurestore_v1_Money, _bnpl_featurestore_v1_Money__Output>
        ValueType: EnumTypeDefinition
      }
    }
  }
  google: {
    protobuf: {
      Timestamp: MessageTypeDefinition<_google_protobuf_Timestamp, _google_protobuf_Timestamp__Output>
    }
  }
}

