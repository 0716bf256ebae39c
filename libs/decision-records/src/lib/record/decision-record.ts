import type { FeatureValue } from '@bnpl/feature-definitions';
import type { FeatureStatus, ValueOrigin } from '@bnpl/serving';

/** The edge a decision was served through. */
export type DecisionEdge = 'rest' | 'feast' | 'grpc';
export const DECISION_EDGES: readonly DecisionEdge[] = ['rest', 'feast', 'grpc'];

/**
 * Who asked: the access-control principal's stable id (`key:<key id>` for an API key, `jwt:<subject>` for a
 * token) and kind. Never a secret, never a name or address of a person. Null when access control is off.
 */
export interface DecisionPrincipal {
  readonly id: string;
  readonly kind: 'api-key' | 'jwt';
}

/** One served value, exactly as answered, with where it came from. */
export interface ServedValue {
  readonly value: FeatureValue;
  readonly status: FeatureStatus;
  /** The event time served (null when MISSING). */
  readonly eventTime: Date | null;
  readonly origin: ValueOrigin;
  /** The row is kept by the streaming path: its TTL was judged against the stream watermark as well. */
  readonly streamed: boolean;
}

/** One entity row of the answer: its ids by join key, and one value per feature in `featureNames` order. */
export interface ServedRow {
  readonly entityRow: Readonly<Record<string, string>>;
  readonly values: readonly ServedValue[];
}

/**
 * What was served for one decision, before the instance numbers and chains it. No PII: ids, feature
 * values and the request's inputs (an amount), never names, addresses or credentials.
 */
export interface DecisionDraft {
  readonly decisionId: string;
  readonly servedAt: Date;
  readonly edge: DecisionEdge;
  readonly principal: DecisionPrincipal | null;
  /** The feature service asked for, or null when the request listed features. */
  readonly featureService: string | null;
  /** `view:feature`, in answer order. */
  readonly featureNames: readonly string[];
  /** Per view read (stored and request-time), the fingerprint of its definition at serving time. */
  readonly definitions: Readonly<Record<string, string>>;
  /** The request's inputs of request-time features. */
  readonly requestContext: Readonly<Record<string, FeatureValue>>;
  /** The stream watermark streamed rows were judged against; null when unknown. */
  readonly streamWatermark: Date | null;
  readonly rows: readonly ServedRow[];
}

/** A draft numbered and chained by its serving instance. */
export interface DecisionRecord extends DecisionDraft {
  /** The serving instance (process) that answered; unique per process start. */
  readonly instanceId: string;
  /** 1, 2, 3, ... per instance, in serving order; numbers of dropped records are skipped, never reused. */
  readonly sequence: number;
  /** The sequence number of the instance's previous recorded record (0 for its first). */
  readonly previousSequence: number;
  /** That record's hash (64 zeros for the first). */
  readonly previousHash: string;
}

/** A record as published and stored: its canonical body (the signed bytes) and the SHA-256 of it. */
export interface SealedRecord {
  readonly decisionId: string;
  readonly instanceId: string;
  readonly sequence: number;
  readonly previousSequence: number;
  readonly previousHash: string;
  readonly servedAt: Date;
  /** The first row's customer id, if any: what the store clusters by. */
  readonly customerId: string | null;
  /** The canonical JSON of the record (see canonical-record.ts). */
  readonly body: string;
  /** Lowercase hex SHA-256 of `body` (UTF-8). */
  readonly hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);
