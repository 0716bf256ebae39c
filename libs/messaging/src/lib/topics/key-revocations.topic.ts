import { z } from 'zod';
import { messagingType } from './messaging-types';
import { timestampField, toTimestamp } from './proto-fields';
import { defineTopic, type Topic } from './topic';

/** An API key stops working at `revokeTime`: every serving instance drops it from its key cache (proto `KeyRevocation`). */
export interface KeyRevocation {
  /** The key's public id: 12 lowercase hex characters. */
  readonly keyId: string;
  readonly revokeTime: Date;
}

const fromProto = z.object({
  keyId: z.string().regex(/^[0-9a-f]{12}$/, 'must be an API key id (12 lowercase hex characters)'),
  revokeTime: timestampField,
});

/** `bnpl.auth.key-revocations`: published by the key admin API, consumed by every serving instance. */
export const keyRevocationsTopic: Topic<KeyRevocation> = defineTopic({
  name: 'bnpl.auth.key-revocations',
  type: messagingType('KeyRevocation'),
  fromProto,
  toProto: (revocation) => ({ keyId: revocation.keyId, revokeTime: toTimestamp(revocation.revokeTime, 'revokeTime') }),
});
