import { Logger } from '@nestjs/common';
import { context, trace, TraceFlags } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { JsonLogger, redactText } from './json-logger';
import { runInRequestContext, requestIdFrom } from './request-context';

/** A logger writing into an array of parsed lines. */
function capture(level: ConstructorParameters<typeof JsonLogger>[1] = 'log') {
  const lines: Array<Record<string, unknown>> = [];
  const raw: string[] = [];
  const logger = new JsonLogger('rest-gateway', level, { write: (line: string) => void (raw.push(line), lines.push(JSON.parse(line))) });
  return { logger, lines, raw };
}

describe('JsonLogger', () => {
  it('writes one JSON line per event: level name, ISO time, service, context, message', () => {
    const { logger, lines, raw } = capture();
    logger.log('listening on 3000', 'Bootstrap');
    expect(raw).toHaveLength(1);
    expect(raw[0].endsWith('\n')).toBe(true);
    expect(raw[0].trim()).not.toContain('\n');
    expect(lines[0]).toEqual({ level: 'info', severity: 'INFO', time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/), service: 'rest-gateway', context: 'Bootstrap', message: 'listening on 3000' });
  });

  it("puts the structured fields a Nest Logger is given as fields, not as JSON text in the message", () => {
    const { logger, lines } = capture();
    const nest = new Logger('GetOnlineFeatures');
    Logger.overrideLogger(logger);
    try {
      nest.warn('source fallback', { view: 'customer_exposure', entities: 3 });
      nest.error('read failed', new Error('redis down').stack);
      nest.log({ message: 'refilled', rows: 2 });
    } finally {
      Logger.overrideLogger(false);
    }
    expect(lines[0]).toMatchObject({ level: 'warn', context: 'GetOnlineFeatures', message: 'source fallback', view: 'customer_exposure', entities: 3 });
    expect(lines[1]).toMatchObject({ level: 'error', context: 'GetOnlineFeatures', message: 'read failed', stack: expect.stringContaining('Error: redis down\n    at ') });
    expect(lines[2]).toMatchObject({ level: 'info', message: 'refilled', rows: 2 });
  });

  it('serialises an Error as err with its type, message and stack', () => {
    const { logger, lines } = capture();
    logger.error(new TypeError('bad row'));
    expect(lines[0]).toMatchObject({ level: 'error', message: 'bad row', err: { type: 'TypeError', message: 'bad row', stack: expect.stringContaining('TypeError: bad row') } });
  });

  it('writes the given level and everything more severe', () => {
    const { logger, lines } = capture('warn');
    logger.log('hidden');
    logger.debug('hidden');
    logger.warn('shown');
    logger.fatal('shown too');
    expect(lines.map((l) => [l.level, l.severity])).toEqual([
      ['warn', 'WARNING'],
      ['fatal', 'CRITICAL'],
    ]);
    const verbose = capture('verbose');
    verbose.logger.verbose('v');
    verbose.logger.debug('d');
    expect(verbose.lines.map((l) => l.level)).toEqual(['trace', 'debug']);
  });

  it('adds the request id and the active trace and span ids', async () => {
    const { logger, lines } = capture();
    const contextManager = new AsyncLocalStorageContextManager().enable();
    context.setGlobalContextManager(contextManager);
    try {
      const spanContext = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.SAMPLED };
      await runInRequestContext({ requestId: 'req-1' }, () =>
        context.with(trace.setSpanContext(context.active(), spanContext), async () => {
          await new Promise((resolve) => setImmediate(resolve));
          logger.log('inside');
        }),
      );
      logger.log('outside');
    } finally {
      context.disable();
    }
    expect(lines[0]).toMatchObject({ request_id: 'req-1', trace_id: '0af7651916cd43dd8448eb211c80319c', span_id: 'b7ad6b7169203331', message: 'inside' });
    expect(lines[1]).not.toHaveProperty('request_id');
    expect(lines[1]).not.toHaveProperty('trace_id');
  });

  it('redacts secrets by field name and inside text', () => {
    const { logger, lines } = capture();
    logger.event('warn', 'connecting to postgres://app:s3cret@db:5432/bnpl', {
      headers: { authorization: 'Bearer abc.def', 'x-api-key': 'k' },
      password: 'p',
      config: { DATABASE_URL: 'postgres://u:p@h/db', token: 't' },
      target: 'redis://:hunter2@cache:6379',
    });
    const line = JSON.stringify(lines[0]);
    for (const secret of ['s3cret', 'abc.def', '"k"', 'u:p@', '"t"', 'hunter2', '"p"']) expect(line).not.toContain(secret);
    expect(lines[0]).toMatchObject({ message: 'connecting to postgres://app:[REDACTED]@db:5432/bnpl', password: '[REDACTED]', target: 'redis://:[REDACTED]@cache:6379' });
  });
});

describe('redactText', () => {
  it('leaves ordinary text alone and replaces URL passwords and bearer tokens', () => {
    expect(redactText('GET /v1/customers/1/features 200')).toBe('GET /v1/customers/1/features 200');
    expect(redactText('http://127.0.0.1:3000/health')).toBe('http://127.0.0.1:3000/health');
    expect(redactText('auth: Bearer eyJhbGciOi.x.y failed')).toBe('auth: Bearer [REDACTED] failed');
    expect(redactText('key fsk_0123456789ab_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcdefg revoked')).toBe('key fsk_0123456789ab_[REDACTED] revoked');
  });
});

describe('requestIdFrom', () => {
  it("keeps a caller's sane request id and replaces anything else with a UUID", () => {
    expect(requestIdFrom('abc-123')).toBe('abc-123');
    expect(requestIdFrom(['first', 'second'])).toBe('first');
    for (const bad of [undefined, '', 'x'.repeat(129), 'line\nbreak', '{"json":1}']) expect(requestIdFrom(bad)).toMatch(/^[0-9a-f-]{36}$/);
  });
});
