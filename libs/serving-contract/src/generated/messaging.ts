import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { EntityIdRange as _bnpl_featurestore_v1_EntityIdRange, EntityIdRange__Output as _bnpl_featurestore_v1_EntityIdRange__Output } from './bnpl/featurestore/v1/EntityIdRange';
import type { FeatureUpdate as _bnpl_featurestore_v1_FeatureUpdate, FeatureUpdate__Output as _bnpl_featurestore_v1_FeatureUpdate__Output } from './bnpl/featurestore/v1/FeatureUpdate';
import type { JobProgress as _bnpl_featurestore_v1_JobProgress, JobProgress__Output as _bnpl_featurestore_v1_JobProgress__Output } from './bnpl/featurestore/v1/JobProgress';
import type { JobRequest as _bnpl_featurestore_v1_JobRequest, JobRequest__Output as _bnpl_featurestore_v1_JobRequest__Output } from './bnpl/featurestore/v1/JobRequest';
import type { ShardProgress as _bnpl_featurestore_v1_ShardProgress, ShardProgress__Output as _bnpl_featurestore_v1_ShardProgress__Output } from './bnpl/featurestore/v1/ShardProgress';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from './google/protobuf/Timestamp';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  bnpl: {
    featurestore: {
      v1: {
        EntityIdRange: MessageTypeDefinition<_bnpl_featurestore_v1_EntityIdRange, _bnpl_featurestore_v1_EntityIdRange__Output>
        FeatureUpdate: MessageTypeDefinition<_bnpl_featurestore_v1_FeatureUpdate, _bnpl_featurestore_v1_FeatureUpdate__Output>
        JobKind: EnumTypeDefinition
        JobProgress: MessageTypeDefinition<_bnpl_featurestore_v1_JobProgress, _bnpl_featurestore_v1_JobProgress__Output>
        JobRequest: MessageTypeDefinition<_bnpl_featurestore_v1_JobRequest, _bnpl_featurestore_v1_JobRequest__Output>
        JobState: EnumTypeDefinition
        ShardProgress: MessageTypeDefinition<_bnpl_featurestore_v1_ShardProgress, _bnpl_featurestore_v1_ShardProgress__Output>
        ShardState: EnumTypeDefinition
      }
    }
  }
  google: {
    protobuf: {
      Timestamp: MessageTypeDefinition<_google_protobuf_Timestamp, _google_protobuf_Timestamp__Output>
    }
  }
}

