import type { ApiKeyRecord, CreateApiKeyCommand } from '@bnpl/access-control';
import type { z } from 'zod';
import type { apiKeySchema, CreateKeyRequest } from './keys.schema';

export function toCreateApiKeyCommand(body: CreateKeyRequest): CreateApiKeyCommand {
  return {
    owner: body.owner,
    ...(body.description !== undefined ? { description: body.description } : {}),
    scopes: body.scopes,
    rateLimitPerSecond: body.rate_limit_per_second ?? null,
    expiresAt: body.expires_at ? new Date(body.expires_at) : null,
  };
}

/** The wire shape of a key, written once: no hash, no secret. */
export function toApiKeyView(key: ApiKeyRecord, now: Date = new Date()): z.input<typeof apiKeySchema> {
  const revoked = key.revokedAt !== null && key.revokedAt <= now;
  const expired = key.expiresAt !== null && key.expiresAt <= now;
  return {
    id: key.id,
    owner: key.owner,
    description: key.description,
    scopes: [...key.scopes],
    rate_limit_per_second: key.rateLimitPerSecond,
    state: revoked ? 'revoked' : expired ? 'expired' : 'active',
    created_at: key.createdAt.toISOString(),
    last_used_at: key.lastUsedAt?.toISOString() ?? null,
    expires_at: key.expiresAt?.toISOString() ?? null,
    revoked_at: key.revokedAt?.toISOString() ?? null,
    replaced_by: key.replacedBy,
  };
}
