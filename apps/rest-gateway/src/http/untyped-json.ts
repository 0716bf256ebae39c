import { type NestFastifyApplication } from '@nestjs/platform-fastify';

/**
 * Reads a request body that has no Content-Type as JSON on the given routes, as FastAPI (Feast's feature
 * server) does: Feast's remote online store posts its JSON with `requests`' `data=`, which sends no
 * Content-Type. Every other route keeps refusing such a body (415). The header is set in an onRequest
 * hook, before Fastify picks a body parser, so the JSON parser, its size limit and its errors are the
 * usual ones. Call before `app.init()`, so that the hook applies to the routes Nest registers.
 */
export function readUntypedBodiesAsJson(app: NestFastifyApplication, routes: readonly string[]): void {
  const paths = new Set(routes);
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (request, _reply, done) => {
      if (request.headers['content-type'] === undefined && paths.has(request.routeOptions.url ?? '')) request.headers['content-type'] = 'application/json';
      done();
    });
}
