// Original file: proto/bnpl/featurestore/v1/decision_records.proto

import type { DecisionRecord as _bnpl_featurestore_v1_DecisionRecord, DecisionRecord__Output as _bnpl_featurestore_v1_DecisionRecord__Output } from '../../../bnpl/featurestore/v1/DecisionRecord';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../../google/protobuf/Timestamp';
import type { Long } from '@grpc/proto-loader';

/**
 * DecisionRecordBatch carries records of one serving instance, in sequence order.
 */
export interface DecisionRecordBatch {
  /**
   * The instance: "<service>:<start time, UTC>:<48 random bits in hex>", unique per process start.
   */
  'instance_id'?: (string);
  /**
   * The records, in increasing sequence; none in a closing batch with nothing left to send.
   */
  'records'?: (_bnpl_featurestore_v1_DecisionRecord)[];
  /**
   * The highest number the instance had given when the batch left (at least the last record's). Numbers
   * above the batch's records come in later batches; if none does, the instance died holding them.
   */
  'assigned_through'?: (number | string | Long);
  /**
   * The instance's last batch: it shut down cleanly.
   */
  'closed'?: (boolean);
  /**
   * When the batch was sent.
   */
  'sent_at'?: (_google_protobuf_Timestamp | null);
}

/**
 * DecisionRecordBatch carries records of one serving instance, in sequence order.
 */
export interface DecisionRecordBatch__Output {
  /**
   * The instance: "<service>:<start time, UTC>:<48 random bits in hex>", unique per process start.
   */
  'instance_id': (string);
  /**
   * The records, in increasing sequence; none in a closing batch with nothing left to send.
   */
  'records': (_bnpl_featurestore_v1_DecisionRecord__Output)[];
  /**
   * The highest number the instance had given when the batch left (at least the last record's). Numbers
   * above the batch's records come in later batches; if none does, the instance died holding them.
   */
  'assigned_through': (string);
  /**
   * The instance's last batch: it shut down cleanly.
   */
  'closed': (boolean);
  /**
   * When the batch was sent.
   */
  'sent_at': (_google_protobuf_Timestamp__Output | null);
}
