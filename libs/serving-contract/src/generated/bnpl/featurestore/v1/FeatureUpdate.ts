// Original file: proto/bnpl/featurestore/v1/messaging.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../../google/protobuf/Timestamp';
import type { Long } from '@grpc/proto-loader';

/**
 * FeatureUpdate says that feature values of some entities changed in the online store, so that every
 * serving instance drops those entities from its in-process (L1) cache. Topic: bnpl.features.updates.
 */
export interface FeatureUpdate {
  /**
   * The entity the ids belong to, as the catalog names it: customer or merchant.
   */
  'entity'?: (string);
  /**
   * The ids of the entities whose values changed: positive integers, at least one.
   */
  'entity_ids'?: (number | string | Long)[];
  /**
   * The feature views that changed. Empty means every view of the entity.
   */
  'feature_views'?: (string)[];
  /**
   * The event time of the newest change the update carries.
   */
  'event_time'?: (_google_protobuf_Timestamp | null);
  /**
   * The PostgreSQL log sequence number of the source transaction, when the update comes from the streaming
   * path; 0 when it comes from a batch job. Lets a consumer recognise a replayed transaction.
   */
  'source_lsn'?: (number | string | Long);
}

/**
 * FeatureUpdate says that feature values of some entities changed in the online store, so that every
 * serving instance drops those entities from its in-process (L1) cache. Topic: bnpl.features.updates.
 */
export interface FeatureUpdate__Output {
  /**
   * The entity the ids belong to, as the catalog names it: customer or merchant.
   */
  'entity': (string);
  /**
   * The ids of the entities whose values changed: positive integers, at least one.
   */
  'entity_ids': (string)[];
  /**
   * The feature views that changed. Empty means every view of the entity.
   */
  'feature_views': (string)[];
  /**
   * The event time of the newest change the update carries.
   */
  'event_time': (_google_protobuf_Timestamp__Output | null);
  /**
   * The PostgreSQL log sequence number of the source transaction, when the update comes from the streaming
   * path; 0 when it comes from a batch job. Lets a consumer recognise a replayed transaction.
   */
  'source_lsn': (string);
}
