import Fastify from 'fastify';
import { JsonLogger } from '../logging/json-logger';
import { currentRequestContext, requestIdFrom } from '../logging/request-context';
import { MetricsRegistry } from '../metrics/metrics-registry';
import { HttpTelemetry } from './http-telemetry';

async function app(accessLogSampleRate: number, requestMetrics = true) {
  const lines: Array<Record<string, unknown>> = [];
  const logger = new JsonLogger('test-service', 'log', { write: (line: string) => void lines.push(JSON.parse(line)) });
  const registry = new MetricsRegistry('test-service');
  const fastify = Fastify({ genReqId: (request) => requestIdFrom(request.headers['x-request-id']) });
  const telemetry = new HttpTelemetry(logger, { accessLogSampleRate, requestMetrics });
  telemetry.install(fastify);
  telemetry.useRegistry(registry);
  fastify.get('/v1/customers/:id/features', async () => {
    // Read path logs inside the handler carry the request id.
    logger.warn('source fallback', { view: 'customer_exposure' });
    await new Promise((resolve) => setImmediate(resolve));
    return { seen: currentRequestContext()?.requestId };
  });
  fastify.post('/v1/features/online', async (request) => ({ seen: currentRequestContext()?.requestId, body: request.body }));
  fastify.get('/boom', async () => {
    throw new Error('kaput');
  });
  fastify.get('/health/ready', async () => ({ status: 'ok' }));
  await fastify.ready();
  const metrics = async () => registry.render();
  return { fastify, lines, metrics, close: async () => (await fastify.close(), await registry.shutdown()) };
}

const count = (text: string, labels: string) => Number(new RegExp(`^bnpl_http_server_request_duration_seconds_count\\{${labels}\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);

describe('HttpTelemetry', () => {
  it('counts every request by method, route template and status class in the duration histogram', async () => {
    const t = await app(0);
    try {
      for (const id of [1, 2, 3]) await t.fastify.inject({ method: 'GET', url: `/v1/customers/${id}/features` });
      await t.fastify.inject({ method: 'GET', url: '/boom' });
      await t.fastify.inject({ method: 'GET', url: '/no/such/route' });
      const text = await t.metrics();
      expect(count(text, 'method="GET",route="/v1/customers/:id/features",status_class="2xx"')).toBe(3);
      expect(count(text, 'method="GET",route="/boom",status_class="5xx"')).toBe(1);
      expect(count(text, 'method="GET",route="unmatched",status_class="4xx"')).toBe(1);
      expect(text).toMatch(/^bnpl_http_server_request_duration_seconds_bucket\{method="GET",route="\/v1\/customers\/:id\/features",status_class="2xx",le="0.05"\} 3$/m);
    } finally {
      await t.close();
    }
  });

  it('records nothing when request metrics are off', async () => {
    const t = await app(0, false);
    try {
      await t.fastify.inject({ method: 'GET', url: '/v1/customers/1/features' });
      expect(await t.metrics()).not.toContain('bnpl_http_server_request_duration_seconds');
    } finally {
      await t.close();
    }
  });

  it('logs every failed request and no unsampled success, with the request id that the answer echoes', async () => {
    const t = await app(0);
    try {
      const ok = await t.fastify.inject({ method: 'GET', url: '/v1/customers/7/features?x=1', headers: { 'x-request-id': 'caller-id-1' } });
      expect(ok.headers['x-request-id']).toBe('caller-id-1');
      expect(ok.json()).toEqual({ seen: 'caller-id-1' });
      const failed = await t.fastify.inject({ method: 'GET', url: '/boom' });
      const missing = await t.fastify.inject({ method: 'GET', url: '/nope' });
      const access = t.lines.filter((l) => l['type'] === 'access');
      expect(access).toEqual([
        expect.objectContaining({ level: 'error', message: 'GET /boom 500', method: 'GET', route: '/boom', path: '/boom', status: 500, request_id: failed.headers['x-request-id'], duration_ms: expect.any(Number) }),
        expect.objectContaining({ level: 'warn', message: 'GET unmatched 404', route: 'unmatched', path: '/nope', status: 404, request_id: missing.headers['x-request-id'] }),
      ]);
      expect(String(failed.headers['x-request-id'])).toMatch(/^[0-9a-f-]{36}$/);
      // The handler's own log line carries the request id as a field.
      expect(t.lines.find((l) => l['message'] === 'source fallback')).toMatchObject({ request_id: 'caller-id-1', view: 'customer_exposure' });
    } finally {
      await t.close();
    }
  });

  it('logs sampled successes (all at rate 1) but never probe and scrape successes', async () => {
    const t = await app(1);
    try {
      await t.fastify.inject({ method: 'POST', url: '/v1/features/online', payload: { a: 1 }, headers: { 'x-request-id': 'with-body' } });
      await t.fastify.inject({ method: 'GET', url: '/health/ready' });
      const access = t.lines.filter((l) => l['type'] === 'access');
      expect(access).toEqual([expect.objectContaining({ level: 'info', message: 'POST /v1/features/online 200', request_id: 'with-body', status: 200 })]);
    } finally {
      await t.close();
    }
  });

  it('keeps the request context of a request with a body through its handler', async () => {
    const t = await app(0);
    try {
      const answer = await t.fastify.inject({ method: 'POST', url: '/v1/features/online', payload: { a: 1 }, headers: { 'x-request-id': 'body-ctx' } });
      expect(answer.json()).toEqual({ seen: 'body-ctx', body: { a: 1 } });
    } finally {
      await t.close();
    }
  });
});
