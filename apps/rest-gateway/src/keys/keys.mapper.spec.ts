import { generateApiKey, type ApiKeyRecord } from '@bnpl/access-control';
import { apiKeySchema } from './keys.schema';
import { toApiKeyView, toCreateApiKeyCommand } from './keys.mapper';

describe('keys mapper', () => {
  const key = generateApiKey();
  const record: ApiKeyRecord = {
    id: key.id,
    secretHash: key.secretHash,
    owner: 'risk-engine',
    description: 'prod',
    scopes: ['features:read'],
    rateLimitPerSecond: null,
    createdAt: new Date('2026-01-01T00:00:00Z'),
    lastUsedAt: null,
    expiresAt: new Date('2027-01-01T00:00:00Z'),
    revokedAt: null,
    replacedBy: null,
  };

  it('shows a key without its hash or secret, with its state', () => {
    const view = toApiKeyView(record, new Date('2026-06-01T00:00:00Z'));
    expect(apiKeySchema.parse(view)).toEqual(view);
    expect(view).toMatchObject({ id: key.id, state: 'active', expires_at: '2027-01-01T00:00:00.000Z' });
    expect(JSON.stringify(view)).not.toMatch(/secret|hash/i);
    expect(toApiKeyView({ ...record, revokedAt: new Date('2026-05-01T00:00:00Z') }, new Date('2026-06-01T00:00:00Z')).state).toBe('revoked');
    expect(toApiKeyView(record, new Date('2027-06-01T00:00:00Z')).state).toBe('expired');
  });

  it('maps the create body to the use case command', () => {
    expect(toCreateApiKeyCommand({ owner: 'o', scopes: ['admin'], expires_at: '2027-01-01T00:00:00+01:00' })).toEqual({ owner: 'o', scopes: ['admin'], rateLimitPerSecond: null, expiresAt: new Date('2026-12-31T23:00:00Z') });
  });
});
