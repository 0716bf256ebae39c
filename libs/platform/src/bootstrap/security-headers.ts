import helmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import Fastify from 'fastify';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';

/**
 * The security headers of every HTTP answer (@fastify/helmet), API and Swagger UI alike.
 *
 * - The answers are JSON, except Swagger UI at /docs: its page loads its scripts and styles from this
 *   server (script-src 'self', no inline script) but carries an inline `<style>` and the UI sets inline
 *   styles and `data:` images, hence style-src 'unsafe-inline' and img-src data:. Nothing else is allowed:
 *   no other origin, no plugin, no framing (frame-ancestors 'none' and X-Frame-Options: DENY).
 * - No `upgrade-insecure-requests`: the local stack and tests serve plain HTTP, where it would send the
 *   page's own assets to an https:// that does not answer. HSTS is sent always: browsers ignore it over
 *   plain HTTP, and behind a TLS-terminating front end (Cloud Run) the answers reach them over HTTPS.
 * - Referrer-Policy: no-referrer; X-Content-Type-Options: nosniff; no X-Powered-By; helmet's other
 *   defaults (Cross-Origin-Opener/Resource-Policy same-origin, X-DNS-Prefetch-Control off, ...). None of
 *   them restricts CORS calls of a web app.
 *
 * Applied by registerSecurityHeaders: computed once by @fastify/helmet, set by one hook.
 */
export const SECURITY_HEADERS: FastifyHelmetOptions = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      baseUri: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      frameAncestors: ["'none'"],
      formAction: ["'self'"],
    },
  },
  frameguard: { action: 'deny' },
  referrerPolicy: { policy: 'no-referrer' },
  strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
};

/** Answer headers that are not helmet's: Fastify's own on any answer. */
const FASTIFY_OWN = new Set(['content-type', 'content-length', 'date', 'connection', 'keep-alive']);

let computed: Promise<Readonly<Record<string, string>>> | undefined;

/**
 * The headers SECURITY_HEADERS makes, as @fastify/helmet writes them: computed once per process, by
 * answering one request on a throwaway Fastify instance with the plugin registered. The settings are the
 * same for every route and request (no nonces, no per-route options), so the headers are too.
 */
export function securityHeaders(): Promise<Readonly<Record<string, string>>> {
  computed ??= (async () => {
    const probe = Fastify();
    try {
      await probe.register(helmet, SECURITY_HEADERS);
      probe.get('/', async () => 'ok');
      const answer = await probe.inject({ method: 'GET', url: '/' });
      const headers = Object.entries(answer.headers).filter(([name, value]) => !FASTIFY_OWN.has(name) && typeof value === 'string') as Array<[string, string]>;
      return Object.freeze(Object.fromEntries(headers));
    } finally {
      await probe.close();
    }
  })();
  return computed;
}

/**
 * Adds the security headers to every answer of the app, routes registered later included (Nest registers
 * its routes at listen). One onRequest hook sets the precomputed headers: registering @fastify/helmet on
 * the app itself would rebuild helmet's middleware on every request (it merges per-route settings), which
 * cost tens of microseconds of CPU per request here (see the README).
 */
export async function registerSecurityHeaders(app: NestFastifyApplication): Promise<void> {
  const headers = await securityHeaders();
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (_request, reply, done) => {
      reply.headers(headers);
      done();
    });
}

/**
 * `handler` (Fastify's frameworkErrors: its router's own errors, answered before any hook runs) with the
 * security headers set first, so that those answers carry them too.
 */
export function withSecurityHeaders<E, Q, R extends object>(handler: (error: E, request: Q, reply: R) => void, headers: Readonly<Record<string, string>>): (error: E, request: Q, reply: R) => void {
  return (error, request, reply) => {
    (reply as unknown as { headers(values: Readonly<Record<string, string>>): unknown }).headers(headers);
    handler(error, request, reply);
  };
}
