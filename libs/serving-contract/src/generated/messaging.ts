import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { EntityIdRange as _bnpl_featurestore_v1_EntityIdRange, EntityIdRange__Output as _bnpl_featurestore_v1_EntityIdRange__Output } from './bnpl/featurestore/v1/EntityIdRange';
import type { FeatureHistory as _bnpl_featurestore_v1_FeatureHistory, FeatureHistory__Output as _bnpl_featurestore_v1_FeatureHistory__Output } from './bnpl/featurestore/v1/FeatureHistory';
import type { FeatureHistoryRow as _bnpl_featurestore_v1_FeatureHistoryRow, FeatureHistoryRow__Output as _bnpl_featurestore_v1_FeatureHistoryRow__Output } from './bnpl/featurestore/v1/FeatureHistoryRow';
import type { FeatureUpdate as _bnpl_featurestore_v1_FeatureUpdate, FeatureUpdate__Output as _bnpl_featurestore_v1_FeatureUpdate__Output } from './bnpl/featurestore/v1/FeatureUpdate';
import type { HistoryMoney as _bnpl_featurestore_v1_HistoryMoney, HistoryMoney__Output as _bnpl_featurestore_v1_HistoryMoney__Output } from './bnpl/featurestore/v1/HistoryMoney';
import type { HistoryValue as _bnpl_featurestore_v1_HistoryValue, HistoryValue__Output as _bnpl_featurestore_v1_HistoryValue__Output } from './bnpl/featurestore/v1/HistoryValue';
import type { JobProgress as _bnpl_featurestore_v1_JobProgress, JobProgress__Output as _bnpl_featurestore_v1_JobProgress__Output } from './bnpl/featurestore/v1/JobProgress';
import type { JobRequest as _bnpl_featurestore_v1_JobRequest, JobRequest__Output as _bnpl_featurestore_v1_JobRequest__Output } from './bnpl/featurestore/v1/JobRequest';
import type { KeyRevocation as _bnpl_featurestore_v1_KeyRevocation, KeyRevocation__Output as _bnpl_featurestore_v1_KeyRevocation__Output } from './bnpl/featurestore/v1/KeyRevocation';
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
        FeatureHistory: MessageTypeDefinition<_bnpl_featurestore_v1_FeatureHistory, _bnpl_featurestore_v1_FeatureHistory__Output>
        FeatureHistoryRow: MessageTypeDefinition<_bnpl_featurestore_v1_FeatureHistoryRow, _bnpl_featurestore_v1_FeatureHistoryRow__Output>
        FeatureUpdate: MessageTypeDefinition<_bnpl_featurestore_v1_FeatureUpdate, _bnpl_featurestore_v1_FeatureUpdate__Output>
        HistoryMoney: MessageTypeDefinition<_bnpl_featurestore_v1_HistoryMoney, _bnpl_featurestore_v1_HistoryMoney__Output>
        HistoryValue: MessageTypeDefinition<_bnpl_featurestore_v1_HistoryValue, _bnpl_featurestore_v1_HistoryValue__Output>
        JobKind: EnumTypeDefinition
        JobProgress: MessageTypeDefinition<_bnpl_featurestore_v1_JobProgress, _bnpl_featurestore_v1_JobProgress__Output>
        JobRequest: MessageTypeDefinition<_bnpl_featurestore_v1_JobRequest, _bnpl_featurestore_v1_JobRequest__Output>
        JobState: EnumTypeDefinition
        KeyRevocation: MessageTypeDefinition<_bnpl_featurestore_v1_KeyRevocation, _bnpl_featurestore_v1_KeyRevocation__Output>
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

