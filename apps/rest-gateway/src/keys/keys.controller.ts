import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { API_KEY_LIMITS, type ApiKeyAdmin } from '@bnpl/access-control';
import { API_KEY_ADMIN } from '@bnpl/access-control-nest';
import { z } from 'zod';
import { Requires } from '../auth/requires.decorator';
import { parseBody, parseQuery } from '../http/parse-body';
import { ApiJsonBody, ApiJsonOk, ApiProblems } from '../openapi/api-docs';
import { toApiKeyView, toCreateApiKeyCommand } from './keys.mapper';
import { createKeyRequestSchema, rotateKeyRequestSchema } from './keys.schema';

const listQuery = z.object({
  owner: z.string().max(100).optional(),
  include_inactive: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(API_KEY_LIMITS.maxListLimit).default(100),
});

/**
 * API keys, for SREs (`fs keys create|list|revoke|rotate` calls this): scope `admin`. A key is shown once,
 * when created or rotated; afterwards only its public id and metadata. Revocations reach every instance
 * through `bnpl.auth.key-revocations` within seconds.
 */
@ApiTags('keys')
@Controller('v1/keys')
export class KeysController {
  constructor(@Inject(API_KEY_ADMIN) private readonly keys: ApiKeyAdmin) {}

  @Post()
  @HttpCode(201)
  @Requires('admin')
  @ApiOperation({ summary: 'Create an API key', description: 'Answers the key once (`api_key`); only its SHA-256 is stored.' })
  @ApiJsonBody('CreateKeyRequest', { 'risk engine': { value: { owner: 'risk-engine', description: 'credit decisions, prod', scopes: ['features:read', 'catalog:read'], rate_limit_per_second: 2000 } } })
  @ApiJsonOk('CreatedKey', 'The key (201), shown this once.')
  @ApiProblems(400, 413, 415, 500, 503)
  async create(@Body() body: unknown) {
    const created = await this.keys.create(toCreateApiKeyCommand(parseBody(createKeyRequestSchema, body)));
    return { key: toApiKeyView(created.record), api_key: created.plaintext };
  }

  @Get()
  @Requires('admin')
  @ApiOperation({ summary: 'List API keys', description: 'Newest first; active keys unless include_inactive=true. Never the keys themselves.' })
  @ApiQuery({ name: 'owner', required: false })
  @ApiQuery({ name: 'include_inactive', required: false, enum: ['true', 'false'] })
  @ApiQuery({ name: 'limit', required: false, description: `1 to ${API_KEY_LIMITS.maxListLimit} (default 100)` })
  @ApiJsonOk('KeyList', 'The keys.')
  @ApiProblems(400, 500, 503)
  async list(@Query() query: unknown) {
    const { owner, include_inactive, limit } = parseQuery(listQuery, query);
    const keys = await this.keys.list({ limit, includeInactive: include_inactive === 'true', ...(owner !== undefined ? { owner } : {}) });
    const now = new Date();
    return { keys: keys.map((k) => toApiKeyView(k, now)) };
  }

  @Post(':id/revoke')
  @HttpCode(200)
  @Requires('admin')
  @ApiOperation({ summary: 'Revoke an API key', description: 'At once, on every instance within seconds; idempotent.' })
  @ApiParam({ name: 'id', description: 'The key id: 12 hex characters (fsk_<id>_...)' })
  @ApiJsonOk('KeyEnvelope', 'The key, revoked.')
  @ApiProblems(400, 404, 500, 503)
  async revoke(@Param('id') id: string) {
    return { key: toApiKeyView(await this.keys.revoke(id)) };
  }

  @Post(':id/rotate')
  @HttpCode(200)
  @Requires('admin')
  @ApiOperation({ summary: 'Rotate an API key', description: 'A new key with the same owner, scopes, limit and expiry; the old one stops working after `grace_seconds` (default at once).' })
  @ApiParam({ name: 'id', description: 'The key id: 12 hex characters' })
  @ApiJsonBody('RotateKeyRequest', { 'one hour of grace': { value: { grace_seconds: 3600 } } })
  @ApiJsonOk('RotatedKey', 'The new key, shown this once, and the old one.')
  @ApiProblems(400, 404, 413, 415, 500, 503)
  async rotate(@Param('id') id: string, @Body() body: unknown) {
    const { grace_seconds } = parseBody(rotateKeyRequestSchema, body ?? {});
    const rotated = await this.keys.rotate(id, grace_seconds ?? 0);
    const now = new Date();
    return { key: toApiKeyView(rotated.record, now), api_key: rotated.plaintext, previous: toApiKeyView(rotated.previous, now) };
  }
}
