// Original file: proto/bnpl/featurestore/v1/messaging.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../../google/protobuf/Timestamp';

/**
 * KeyRevocation says that an API key stops working at revoke_time (now, or at the end of a rotation's
 * grace period), so that every serving instance drops it from its in-process key cache and reads it again
 * from the key table. Topic: bnpl.auth.key-revocations.
 */
export interface KeyRevocation {
  /**
   * The key's public id: 12 lowercase hex characters (the <id> of fsk_<id>_<secret>).
   */
  'key_id'?: (string);
  /**
   * When the key stops working.
   */
  'revoke_time'?: (_google_protobuf_Timestamp | null);
}

/**
 * KeyRevocation says that an API key stops working at revoke_time (now, or at the end of a rotation's
 * grace period), so that every serving instance drops it from its in-process key cache and reads it again
 * from the key table. Topic: bnpl.auth.key-revocations.
 */
export interface KeyRevocation__Output {
  /**
   * The key's public id: 12 lowercase hex characters (the <id> of fsk_<id>_<secret>).
   */
  'key_id': (string);
  /**
   * When the key stops working.
   */
  'revoke_time': (_google_protobuf_Timestamp__Output | null);
}
