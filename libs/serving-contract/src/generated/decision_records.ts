import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { DecisionRecord as _bnpl_featurestore_v1_DecisionRecord, DecisionRecord__Output as _bnpl_featurestore_v1_DecisionRecord__Output } from './bnpl/featurestore/v1/DecisionRecord';
import type { DecisionRecordBatch as _bnpl_featurestore_v1_DecisionRecordBatch, DecisionRecordBatch__Output as _bnpl_featurestore_v1_DecisionRecordBatch__Output } from './bnpl/featurestore/v1/DecisionRecordBatch';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from './google/protobuf/Timestamp';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  bnpl: {
    featurestore: {
      v1: {
        DecisionRecord: MessageTypeDefinition<_bnpl_featurestore_v1_DecisionRecord, _bnpl_featurestore_v1_DecisionRecord__Output>
        DecisionRecordBatch: MessageTypeDefinition<_bnpl_featurestore_v1_DecisionRecordBatch, _bnpl_featurestore_v1_DecisionRecordBatch__Output>
      }
    }
  }
  google: {
    protobuf: {
      Timestamp: MessageTypeDefinition<_google_protobuf_Timestamp, _google_protobuf_Timestamp__Output>
    }
  }
}

