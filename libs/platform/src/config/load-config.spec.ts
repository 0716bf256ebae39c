import { z } from 'zod';
import { ConfigError } from './config.error';
import { env, loadConfig } from './load-config';

const schema = z.object({
  PORT: env.port(3000),
  DATABASE_URL: env.url(['postgres', 'postgresql']),
  ONLINE_STORE: env.oneOf(['redis', 'memory'] as const, 'memory'),
});

describe('loadConfig', () => {
  it('applies defaults and coerces numbers', () => {
    expect(loadConfig('svc', schema, { DATABASE_URL: 'postgres://u@h:5432/db', PORT: '' })).toEqual({
      PORT: 3000,
      DATABASE_URL: 'postgres://u@h:5432/db',
      ONLINE_STORE: 'memory',
    });
  });

  it('names every bad variable and the value it got', () => {
    try {
      loadConfig('rest-gateway', schema, { PORT: 'abc', DATABASE_URL: 'mysql://x', ONLINE_STORE: 'disk' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      expect(message).toContain('Invalid configuration for rest-gateway');
      expect(message).toMatch(/PORT: must be a number.*"abc"/);
      expect(message).toMatch(/DATABASE_URL: must be a URL with scheme postgres:\/\/ or postgresql:\/\/ \(got a mysql:\/\/ URL; the value is not shown: it may hold a password\)/);
      expect(message).toMatch(/ONLINE_STORE: must be one of: redis, memory \(got "disk"\)/);
    }
  });

  it('never echoes a value that may hold a credential: it names the variable and the problem', () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      // A port that is not a number: new URL() cannot parse it, and the whole URL must not be printed.
      [{ DATABASE_URL: 'postgres://app:hunter2-secret@db.internal:notaport/bnpl' }, /DATABASE_URL: must be a URL with scheme postgres:\/\/ or postgresql:\/\/ \(got a postgres:\/\/ value that does not parse as a URL: check the host and port/],
      // An unencoded '#' in the password.
      [{ DATABASE_URL: 'postgres://app:hun#ter2-secret@db.internal:5432/bnpl' }, /DATABASE_URL: .*the value is not shown/],
      [{ DATABASE_URL: 'mysql://app:hunter2-secret@db.internal/bnpl' }, /got a mysql:\/\/ URL; the value is not shown/],
      [{ DATABASE_URL: 'hunter2-secret' }, /DATABASE_URL: .*\(the value is not shown: it may hold a password\)/],
    ];
    for (const [env, expected] of cases) {
      let message = '';
      try {
        loadConfig('rest-gateway', schema, { ...env, ONLINE_STORE: 'memory' });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(expected);
      expect(message).not.toMatch(/hunter2|db\.internal|app:/);
    }
  });

  it('rejects a port out of range and a missing required variable', () => {
    expect(() => loadConfig('svc', schema, { PORT: '70000' })).toThrow(/PORT: must be 1..65535[\s\S]*DATABASE_URL/);
  });
});
