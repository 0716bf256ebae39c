import { z } from 'zod';
import { SCOPES } from '@bnpl/access-control';
import { strictObject } from '../http/values.schema';

const scope = z.enum(SCOPES);

/** `POST /v1/keys`. */
export const createKeyRequestSchema = strictObject({
  owner: z.string().describe('Who the key is for: the principal name that feature-service restrictions name (1-100 letters, digits and . _ @ : -).'),
  description: z.string().describe('What the key is used by, for people (at most 200 characters).').optional(),
  scopes: z.array(scope).min(1).describe('What the key may do; at least one.'),
  rate_limit_per_second: z.number().int().describe("Requests per second across all instances; default: the services' configured default.").nullable().optional(),
  expires_at: z.iso.datetime({ offset: true }).describe('When the key stops working (RFC 3339); default never.').nullable().optional(),
}).describe('A new API key.');

/** `POST /v1/keys/{id}/rotate`. */
export const rotateKeyRequestSchema = strictObject({
  grace_seconds: z.number().int().describe('How long the old key keeps working (default 0: it stops at once; at most 7 days).').optional(),
}).describe('A rotation.');

/** A key as the API shows it: never the key itself, nor its hash. */
export const apiKeySchema = strictObject({
  id: z.string().describe('The public part of the key (fsk_<id>_...).'),
  owner: z.string(),
  description: z.string(),
  scopes: z.array(scope),
  rate_limit_per_second: z.number().int().nullable().describe('null: the default.'),
  state: z.enum(['active', 'revoked', 'expired']),
  created_at: z.string(),
  last_used_at: z.string().nullable().describe('To within a minute.'),
  expires_at: z.string().nullable(),
  revoked_at: z.string().nullable().describe('When the key stops (or stopped) working.'),
  replaced_by: z.string().nullable().describe('The key that replaced it in a rotation.'),
});

export const createdKeySchema = strictObject({
  key: apiKeySchema,
  api_key: z.string().describe('The key itself: shown this once, stored only as a hash. Send it as `x-api-key: <key>` or `Authorization: Bearer <key>`.'),
});
export const rotatedKeySchema = strictObject({ key: apiKeySchema, api_key: z.string().describe('The new key, shown this once.'), previous: apiKeySchema });
export const keyEnvelopeSchema = strictObject({ key: apiKeySchema });
export const keyListSchema = strictObject({ keys: z.array(apiKeySchema) });

export type CreateKeyRequest = z.output<typeof createKeyRequestSchema>;
