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
      expect(message).toMatch(/DATABASE_URL: must be a URL with scheme postgres:\/\/ or postgresql:\/\/ \(got "mysql:\/\/x"\)/);
      expect(message).toMatch(/ONLINE_STORE: must be one of: redis, memory \(got "disk"\)/);
    }
  });

  it('rejects a port out of range and a missing required variable', () => {
    expect(() => loadConfig('svc', schema, { PORT: '70000' })).toThrow(/PORT: must be 1..65535[\s\S]*DATABASE_URL/);
  });
});
