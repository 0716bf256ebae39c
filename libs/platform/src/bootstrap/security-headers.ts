import helmet, { type FastifyHelmetOptions } from '@fastify/helmet';
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
 * Cost: @fastify/helmet builds helmet's middleware again on every request (about 13 us of CPU measured
 * on these machines, see the README), in an onRequest hook.
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

/** Registers the security headers on every route of the app, those registered later included. */
export async function registerSecurityHeaders(app: NestFastifyApplication): Promise<void> {
  // @nestjs/platform-fastify carries its own copy of fastify (5.11 beside the root's 5.12): the same plugin
  // API at run time, two declarations of it for TypeScript.
  await app.register(helmet as unknown as Parameters<NestFastifyApplication['register']>[0], SECURITY_HEADERS);
}
