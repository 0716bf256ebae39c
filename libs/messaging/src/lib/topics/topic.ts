import type { Type } from 'protobufjs';
import type { z } from 'zod';
import { InvalidMessagePayloadError } from '../errors/invalid-message-payload.error';

/**
 * A typed topic: its name and the codec of its payload, a message of
 * `proto/bnpl/featurestore/v1/messaging.proto` in the protobuf binary encoding.
 *
 * `decode` validates beyond the wire format (ids, names, ranges, required fields) and throws
 * InvalidMessagePayloadError: a consumer dead-letters such a message at once. `encode` throws the same
 * error for a payload that `decode` would reject, so a producer cannot publish a poison message.
 */
export interface Topic<T> {
  /** The topic's name on the backend, e.g. `bnpl.jobs.requests`; also the `@EventPattern` of its handlers. */
  readonly name: string;
  /** The fully-qualified protobuf message type, e.g. `bnpl.featurestore.v1.JobRequest`. */
  readonly messageType: string;
  encode(payload: T): Uint8Array;
  decode(data: Uint8Array): T;
}

/** How protobufjs hands a decoded message to the payload schema: every field present, 64-bit integers as decimal strings, enums by name. */
const PLAIN = { longs: String, enums: String, defaults: true, arrays: true } as const;

export interface TopicDefinition<T> {
  readonly name: string;
  readonly type: Type;
  /** The payload as a protobufjs plain object (camelCase fields, 64-bit integers as decimal strings). */
  toProto(payload: T): Record<string, unknown>;
  /** Validates a decoded plain object and maps it to the payload. */
  readonly fromProto: z.ZodType<T>;
  /**
   * For a topic on a hot path: finds, in the payload itself, whatever `decode` would reject of its
   * encoding (a detail naming the field), or null. `encode` then trusts it instead of decoding what it
   * wrote: the round trip cost the cdc-ingestor a seventh of its CPU. Its spec must prove that it refuses
   * all the round trip refuses, and passes only payloads that come back whole.
   */
  readonly check?: (payload: T) => string | null;
}

/** Makes a Topic from a message type and the mapping between its plain objects and the payload type. */
export function defineTopic<T>(definition: TopicDefinition<T>): Topic<T> {
  const { name, type, toProto, fromProto, check } = definition;
  const invalid = (detail: string) => new InvalidMessagePayloadError(name, detail);

  const decode = (data: Uint8Array): T => {
    let plain: Record<string, unknown>;
    try {
      plain = type.toObject(type.decode(data), PLAIN);
    } catch (error) {
      throw invalid(`not a ${type.fullName.slice(1)} message (${error instanceof Error ? error.message : String(error)})`);
    }
    const parsed = fromProto.safeParse(plain);
    if (!parsed.success) throw invalid(parsed.error.issues.map((i) => `${i.path.join('.') || 'message'}: ${i.message}`).join('; '));
    return parsed.data;
  };

  const encode = (payload: T): Uint8Array => {
    const problem = check ? check(payload) : null;
    if (problem !== null) throw invalid(problem);
    let data: Uint8Array;
    try {
      data = type.encode(type.fromObject(toProto(payload))).finish();
    } catch (error) {
      throw invalid(error instanceof Error ? error.message : String(error));
    }
    if (!check) decode(data);
    return data;
  };

  return Object.freeze({ name, messageType: type.fullName.slice(1), encode, decode });
}
