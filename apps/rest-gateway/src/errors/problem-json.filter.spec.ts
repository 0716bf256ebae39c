import { BadRequestException, HttpException, NotFoundException, type ArgumentsHost } from '@nestjs/common';
import { MAX_ERROR_MESSAGE_LENGTH, UnknownFeatureError, UnknownFeatureServiceError } from '@bnpl/feature-definitions';
import { FeaturesUnavailableError, InvalidFeatureRequestError } from '@bnpl/serving';
import { type ErrorDialect } from './error-dialect';
import { InvalidRequestBodyError } from './invalid-request-body.error';
import { ProblemJsonFilter } from './problem-json.filter';
import { problemSchema } from './problem.schema';

const filter = new ProblemJsonFilter();
const request = (headers: Record<string, string> = {}) => ({ url: '/v1/features/online', headers, server: { initialConfig: { bodyLimit: 1_048_576 } } });

describe('ProblemJsonFilter', () => {
  it.each([
    ['a read path error', new InvalidFeatureRequestError('DUPLICATE_ENTITY_ROW', 'Entity row 2 repeats entity row 0'), 400, 'DUPLICATE_ENTITY_ROW', 'Entity row 2 repeats entity row 0'],
    ['a body error of the edge', new InvalidRequestBodyError('INVALID_REQUEST_BODY', 'Invalid request body: body: unknown field "x"'), 400, 'INVALID_REQUEST_BODY', 'Invalid request body: body: unknown field "x"'],
    ['an unavailable dependency', new FeaturesUnavailableError('both down'), 503, 'FEATURES_UNAVAILABLE', 'Features unavailable: both down'],
    ['a 404 caused by a FeatureStoreError', new NotFoundException('Unknown feature service "x"', { cause: new UnknownFeatureServiceError('x') }), 404, 'UNKNOWN_FEATURE_SERVICE', 'Unknown feature service "x"'],
    ["Nest's not-found", new NotFoundException('Cannot GET /nope'), 404, 'NOT_FOUND', 'Cannot GET /nope'],
    ["Fastify's invalid JSON (as Nest maps it)", new HttpException("Body is not valid JSON but content-type is set to 'application/json'", 400), 400, 'BAD_REQUEST', "Body is not valid JSON but content-type is set to 'application/json'"],
    ['a bad query', new BadRequestException('query parameter "service" given more than once'), 400, 'BAD_REQUEST', 'query parameter "service" given more than once'],
    ['anything else, without internals', new Error('connection string postgres://secret'), 500, 'INTERNAL', 'internal error'],
  ])('maps %s', (_what, error, status, reason, detail) => {
    const problem = filter.toProblem(error, request());
    expect(problem).toMatchObject({ status, reason, detail, instance: '/v1/features/online' });
    expect(problemSchema.safeParse(problem).success).toBe(true);
  });

  it('bounds a detail and an instance that quote huge input (the same bound as gRPC details)', () => {
    const huge = 'x'.repeat(1_000_000);
    const problem = filter.toProblem(new UnknownFeatureError(huge), { ...request(), url: `/v1/customers/1/features?features=${huge}` });
    expect(problem.detail.length).toBeLessThanOrEqual(MAX_ERROR_MESSAGE_LENGTH);
    expect(problem.instance.length).toBeLessThanOrEqual(MAX_ERROR_MESSAGE_LENGTH);
    expect(problem.detail).toMatch(/^Unknown feature "x+…" \(1000000 characters\)$/);
  });

  it('says which content type was refused and what to send', () => {
    expect(filter.toProblem(new HttpException('Unsupported Media Type', 415), request({ 'content-type': 'text/plain' }))).toMatchObject({
      status: 415,
      title: 'Unsupported Media Type',
      reason: 'UNSUPPORTED_MEDIA_TYPE',
      detail: 'Unsupported content type "text/plain": send the body as application/json',
    });
  });

  it('answers in a dialect on the routes that have one, from the same problem', () => {
    const replies: Array<{ status?: number; headers: Record<string, string>; body?: unknown }> = [];
    const host = (url: string) => {
      const reply = { headers: {} as Record<string, string>, status: undefined as number | undefined, body: undefined as unknown };
      replies.push(reply);
      const fastifyReply = {
        status: (s: number) => ((reply.status = s), fastifyReply),
        header: (k: string, v: string) => ((reply.headers[k] = v), fastifyReply),
        send: (b: unknown) => ((reply.body = b), fastifyReply),
      };
      return { switchToHttp: () => ({ getRequest: () => ({ url, method: 'POST', headers: {} }), getResponse: () => fastifyReply }) } as unknown as ArgumentsHost;
    };
    const dialect: ErrorDialect = { handles: (path) => path === '/other', render: (p) => ({ status: p.status + 1, contentType: 'text/x-other', body: `${p.reason}: ${p.detail}` }) };
    const withDialect = new ProblemJsonFilter([dialect]);
    const error = new InvalidRequestBodyError('INVALID_REQUEST_BODY', 'bad');
    withDialect.catch(error, host('/other?x=1'));
    withDialect.catch(error, host('/v1/features/online'));
    expect(replies[0]).toEqual({ status: 401, headers: { 'content-type': 'text/x-other' }, body: 'INVALID_REQUEST_BODY: bad' });
    expect(replies[1]).toMatchObject({ status: 400, headers: { 'content-type': 'application/problem+json' }, body: { reason: 'INVALID_REQUEST_BODY', detail: 'bad' } });
  });

  it('says how large a body may be', () => {
    expect(filter.toProblem(new HttpException('Request body is too large', 413), request())).toMatchObject({
      status: 413,
      reason: 'CONTENT_TOO_LARGE',
      detail: 'Request body is too large: at most 1048576 bytes',
    });
  });
});
