// Original file: proto/bnpl/featurestore/v1/decision_records.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../../google/protobuf/Timestamp';
import type { Long } from '@grpc/proto-loader';

/**
 * DecisionRecord is one answer, numbered and hash-chained by the serving instance that gave it.
 */
export interface DecisionRecord {
  /**
   * The decision id the answer carried: the caller's x-decision-id, or a UUID version 7 the instance made.
   */
  'decision_id'?: (string);
  /**
   * The instance's number for it: 1, 2, 3, ... in serving order.
   */
  'sequence'?: (number | string | Long);
  /**
   * The number of the instance's previous record (0 for its first). Numbers between the two were given
   * to answers the instance served without a record (its backlog policy dropped them).
   */
  'previous_sequence'?: (number | string | Long);
  /**
   * The SHA-256 of the previous record's body: 32 bytes, all zero for the first.
   */
  'previous_hash'?: (Buffer | Uint8Array | string);
  /**
   * When the answer was made.
   */
  'served_at'?: (_google_protobuf_Timestamp | null);
  /**
   * The first entity row's customer id, or 0 when the answer had none: what the store clusters by.
   */
  'customer_id'?: (number | string | Long);
  /**
   * The record itself: its canonical JSON (UTF-8), laid out in libs/decision-records (canonical-record.ts):
   * decision id, instance, numbers, previous hash, principal, feature service, feature names, definition
   * fingerprints, request inputs, stream watermark, and per entity row every value with its status, event
   * time and origin. It travels as the very bytes that were hashed, so what is stored and verified is what
   * the instance signed, never a re-encoding; the fields above repeat what the store indexes.
   */
  'body'?: (Buffer | Uint8Array | string);
  /**
   * The SHA-256 of body: 32 bytes.
   */
  'hash'?: (Buffer | Uint8Array | string);
}

/**
 * DecisionRecord is one answer, numbered and hash-chained by the serving instance that gave it.
 */
export interface DecisionRecord__Output {
  /**
   * The decision id the answer carried: the caller's x-decision-id, or a UUID version 7 the instance made.
   */
  'decision_id': (string);
  /**
   * The instance's number for it: 1, 2, 3, ... in serving order.
   */
  'sequence': (string);
  /**
   * The number of the instance's previous record (0 for its first). Numbers between the two were given
   * to answers the instance served without a record (its backlog policy dropped them).
   */
  'previous_sequence': (string);
  /**
   * The SHA-256 of the previous record's body: 32 bytes, all zero for the first.
   */
  'previous_hash': (Buffer);
  /**
   * When the answer was made.
   */
  'served_at': (_google_protobuf_Timestamp__Output | null);
  /**
   * The first entity row's customer id, or 0 when the answer had none: what the store clusters by.
   */
  'customer_id': (string);
  /**
   * The record itself: its canonical JSON (UTF-8), laid out in libs/decision-records (canonical-record.ts):
   * decision id, instance, numbers, previous hash, principal, feature service, feature names, definition
   * fingerprints, request inputs, stream watermark, and per entity row every value with its status, event
   * time and origin. It travels as the very bytes that were hashed, so what is stored and verified is what
   * the instance signed, never a re-encoding; the fields above repeat what the store indexes.
   */
  'body': (Buffer);
  /**
   * The SHA-256 of body: 32 bytes.
   */
  'hash': (Buffer);
}
