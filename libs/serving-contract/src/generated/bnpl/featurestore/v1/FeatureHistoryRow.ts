// Original file: proto/bnpl/featurestore/v1/messaging.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../../google/protobuf/Timestamp';
import type { HistoryValue as _bnpl_featurestore_v1_HistoryValue, HistoryValue__Output as _bnpl_featurestore_v1_HistoryValue__Output } from '../../../bnpl/featurestore/v1/HistoryValue';
import type { Long } from '@grpc/proto-loader';

/**
 * FeatureHistoryRow is one entity's values of a feature view at one instant.
 */
export interface FeatureHistoryRow {
  /**
   * The entity's id: a positive integer.
   */
  'entity_id'?: (number | string | Long);
  /**
   * When the values became true: the commit time of the source change they follow.
   */
  'event_time'?: (_google_protobuf_Timestamp | null);
  /**
   * When the values were read from the source: of two rows with the same event time, the later read wins.
   */
  'read_time'?: (_google_protobuf_Timestamp | null);
  /**
   * The values, one per feature with a value; a feature without a value is absent.
   */
  'values'?: (_bnpl_featurestore_v1_HistoryValue)[];
}

/**
 * FeatureHistoryRow is one entity's values of a feature view at one instant.
 */
export interface FeatureHistoryRow__Output {
  /**
   * The entity's id: a positive integer.
   */
  'entity_id': (string);
  /**
   * When the values became true: the commit time of the source change they follow.
   */
  'event_time': (_google_protobuf_Timestamp__Output | null);
  /**
   * When the values were read from the source: of two rows with the same event time, the later read wins.
   */
  'read_time': (_google_protobuf_Timestamp__Output | null);
  /**
   * The values, one per feature with a value; a feature without a value is absent.
   */
  'values': (_bnpl_featurestore_v1_HistoryValue__Output)[];
}
