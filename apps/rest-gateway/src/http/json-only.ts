import { type NestFastifyApplication } from '@nestjs/platform-fastify';

/**
 * Makes the app accept JSON bodies only: removes the parsers Fastify (text/plain) and Nest
 * (application/x-www-form-urlencoded) register by default, so that any other body is refused by Fastify
 * with 415 before a handler runs, at no cost per request. Call after `app.init()` (which registers Nest's
 * parsers) and before the app listens.
 */
export function acceptJsonBodiesOnly(app: NestFastifyApplication): void {
  app.getHttpAdapter().getInstance().removeContentTypeParser(['text/plain', 'application/x-www-form-urlencoded']);
}
