import { InvalidArgumentError, type Command } from 'commander';
import type { JobsApi } from './api-client';

/** A key as `/v1/keys` answers it. */
export interface KeyView {
  readonly id: string;
  readonly owner: string;
  readonly description: string;
  readonly scopes: readonly string[];
  readonly rate_limit_per_second: number | null;
  readonly state: 'active' | 'revoked' | 'expired';
  readonly created_at: string;
  readonly last_used_at: string | null;
  readonly expires_at: string | null;
  readonly revoked_at: string | null;
  readonly replaced_by: string | null;
}

const positiveInt = (v: string) => {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
};

const nonNegativeInt = (v: string) => {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number of seconds');
  return n;
};

/** `2026-12-31T00:00:00Z`, or a duration from now: `90d`, `12h`, `30m`. */
export function parseExpiry(value: string, now = Date.now()): string {
  const duration = /^(\d+)([dhm])$/.exec(value);
  if (duration) return new Date(now + Number(duration[1]) * { d: 86_400_000, h: 3_600_000, m: 60_000 }[duration[2] as 'd' | 'h' | 'm']).toISOString();
  if (Number.isNaN(Date.parse(value)) || !/^\d{4}-\d{2}-\d{2}T/.test(value)) throw new InvalidArgumentError('must be an instant (2026-12-31T00:00:00Z) or a duration (90d, 12h, 30m)');
  return value;
}

/**
 * `fs keys create|list|revoke|rotate`: API keys through the admin API (`/v1/keys`, scope `admin`). A new
 * key is printed once, on a line of its own: store it at once (a secret manager), it cannot be shown again.
 */
export function registerKeysCommand(program: Command, out: NodeJS.WritableStream, api: () => JobsApi): void {
  const keys = program.command('keys').description('create, list, revoke and rotate API keys (needs an admin key)');
  const shown = (key: string) => out.write(`\nThe key (shown once; store it now, e.g. in your secret manager):\n${key}\n`);

  keys
    .command('create')
    .description('create a key')
    .requiredOption('--owner <name>', 'who the key is for (the principal name restrictions use)')
    .requiredOption('--scopes <list>', 'comma-separated: features:read, catalog:read, jobs:write, jobs:read, audit:read, admin')
    .option('--description <text>', 'what uses the key')
    .option('--rate-limit <n>', 'requests per second (default: the services\' default)', positiveInt)
    .option('--expires <when>', 'an instant (2026-12-31T00:00:00Z) or a duration from now (90d, 12h)', (v) => parseExpiry(v))
    .option('--json', "print the API's JSON")
    .action(async (options: { owner: string; scopes: string; description?: string; rateLimit?: number; expires?: string; json?: boolean }) => {
      const body = {
        owner: options.owner,
        scopes: options.scopes.split(',').map((s) => s.trim()).filter(Boolean),
        ...(options.description !== undefined ? { description: options.description } : {}),
        ...(options.rateLimit !== undefined ? { rate_limit_per_second: options.rateLimit } : {}),
        ...(options.expires !== undefined ? { expires_at: options.expires } : {}),
      };
      const created = await api().send<{ key: KeyView; api_key: string }>('POST', '/v1/keys', body);
      if (options.json) return void out.write(`${JSON.stringify(created, null, 2)}\n`);
      out.write(`created key ${created.key.id} for ${created.key.owner}: ${created.key.scopes.join(', ')}\n`);
      shown(created.api_key);
    });

  keys
    .command('list')
    .description('list keys (never the keys themselves)')
    .option('--owner <name>', "only this owner's keys")
    .option('--all', 'revoked and expired keys too')
    .option('--limit <n>', 'most keys to list', positiveInt, 100)
    .option('--json', "print the API's JSON")
    .action(async (options: { owner?: string; all?: boolean; limit: number; json?: boolean }) => {
      const params = new URLSearchParams({ limit: String(options.limit), ...(options.owner ? { owner: options.owner } : {}), ...(options.all ? { include_inactive: 'true' } : {}) });
      const { keys: list } = await api().send<{ keys: KeyView[] }>('GET', `/v1/keys?${params}`);
      if (options.json) return void out.write(`${JSON.stringify({ keys: list }, null, 2)}\n`);
      for (const line of keyTable(list)) out.write(`${line}\n`);
    });

  keys
    .command('revoke <id>')
    .description('revoke a key at once, on every instance within seconds')
    .action(async (id: string) => {
      const { key } = await api().send<{ key: KeyView }>('POST', `/v1/keys/${encodeURIComponent(id)}/revoke`);
      out.write(`revoked key ${key.id} (${key.owner}) at ${key.revoked_at}\n`);
    });

  keys
    .command('rotate <id>')
    .description('replace a key with a new one (same owner, scopes, limit, expiry)')
    .option('--grace <seconds>', 'how long the old key keeps working (default 0: it stops at once)', nonNegativeInt, 0)
    .option('--json', "print the API's JSON")
    .action(async (id: string, options: { grace: number; json?: boolean }) => {
      const rotated = await api().send<{ key: KeyView; api_key: string; previous: KeyView }>('POST', `/v1/keys/${encodeURIComponent(id)}/rotate`, { grace_seconds: options.grace });
      if (options.json) return void out.write(`${JSON.stringify(rotated, null, 2)}\n`);
      out.write(`key ${rotated.previous.id} replaced by ${rotated.key.id}; the old key stops working at ${rotated.previous.revoked_at}\n`);
      shown(rotated.api_key);
    });
}

/** The table `fs keys list` prints, header first. */
export function keyTable(keys: readonly KeyView[]): string[] {
  const rows = keys.map((k) => [k.id, k.owner, k.state, k.scopes.join(','), k.rate_limit_per_second === null ? 'default' : `${k.rate_limit_per_second}/s`, k.created_at, k.last_used_at ?? 'never', k.expires_at ?? 'never']);
  const header = ['ID', 'OWNER', 'STATE', 'SCOPES', 'RATE', 'CREATED', 'LAST USED', 'EXPIRES'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [header, ...rows].map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ').trimEnd());
}
