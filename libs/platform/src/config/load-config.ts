import { z } from 'zod';
import { ConfigError } from './config.error';

type Env = Record<string, string | undefined>;

/**
 * Validates an environment against a service's schema (keys are environment variable names) and
 * returns the typed result, or throws a ConfigError naming every bad variable and why.
 * Empty strings count as unset, so `PORT=` falls back to the default instead of failing as "not a number".
 */
/** A rule across variables (e.g. "B is required when A = x"): returns the problems it finds. */
export type ConfigCheck<C> = (config: C) => Array<{ variable: string; message: string }>;

export function loadConfig<S extends z.ZodObject>(service: string, schema: S, env: Env, checks: Array<ConfigCheck<z.infer<S>>> = []): z.infer<S> {
  const cleaned: Env = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    if (value !== undefined && value.trim() !== '') cleaned[key] = value.trim();
  }
  const result = schema.safeParse(cleaned);
  if (result.success) {
    const problems = checks.flatMap((check) => check(result.data));
    if (problems.length) throw new ConfigError(service, problems);
    return result.data;
  }
  throw new ConfigError(
    service,
    result.error.issues.map((issue) => {
      const variable = String(issue.path[0] ?? '(environment)');
      const got = cleaned[variable];
      return { variable, message: got === undefined ? issue.message : `${issue.message} ${describeGot(variable, got)}` };
    }),
  );
}

/** Variables whose values may hold a credential: URLs (`postgres://user:password@…`), keys, tokens, passwords. */
const SECRET_NAME = /URL|URI|DSN|PASSWORD|SECRET|TOKEN|KEY|CREDENTIAL|AUTH/i;

/**
 * What a bad value was, as a start-up error may say it: a value that may hold a credential is never echoed
 * (a malformed DATABASE_URL would print its password to the console and the log collector); its scheme,
 * and what looks wrong with it, are.
 */
function describeGot(variable: string, value: string): string {
  if (!SECRET_NAME.test(variable) && !value.includes('://') && !value.includes('@')) return `(got "${value}")`;
  const hidden = 'the value is not shown: it may hold a password';
  const scheme = /^([a-z][a-z0-9+.-]{0,19}):\/\//i.exec(value)?.[1];
  if (scheme === undefined) return `(${hidden})`;
  try {
    new URL(value);
    return `(got a ${scheme}:// URL; ${hidden})`;
  } catch {
    return `(got a ${scheme}:// value that does not parse as a URL: check the host and port, and percent-encode special characters in the user and password; ${hidden})`;
  }
}

/** Building blocks for service schemas, so every service spells a port or a URL the same way. */
export const env = {
  port: (defaultPort: number) =>
    z.coerce.number({ error: 'must be a number' }).int('must be an integer').min(1, 'must be 1..65535').max(65535, 'must be 1..65535').default(defaultPort),
  host: (defaultHost = '0.0.0.0') => z.string().min(1).default(defaultHost),
  positiveInt: (defaultValue: number) => z.coerce.number({ error: 'must be a number' }).int('must be an integer').positive('must be > 0').default(defaultValue),
  url: (protocols: string[]) =>
    z.string().refine(
      (value) => {
        try {
          return protocols.includes(new URL(value).protocol.replace(/:$/, ''));
        } catch {
          return false;
        }
      },
      { message: `must be a URL with scheme ${protocols.map((p) => p + '://').join(' or ')}` },
    ),
  oneOf: <const T extends readonly [string, ...string[]]>(values: T, defaultValue: T[number]) =>
    z.enum(values, { error: `must be one of: ${values.join(', ')}` }).default(defaultValue as never),
  logLevel: () => z.enum(['fatal', 'error', 'warn', 'log', 'debug', 'verbose'], { error: 'must be one of: fatal, error, warn, log, debug, verbose' }).default('log'),
};
