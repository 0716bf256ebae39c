import helmet from '@fastify/helmet';
import Fastify, { type FastifyReply } from 'fastify';
import { SECURITY_HEADERS, securityHeaders, withSecurityHeaders } from './security-headers';

describe('securityHeaders', () => {
  it('are the headers @fastify/helmet sets with SECURITY_HEADERS, computed once', async () => {
    const app = Fastify();
    await app.register(helmet, SECURITY_HEADERS);
    app.get('/x', async () => ({ a: 1 }));
    const answer = await app.inject({ method: 'GET', url: '/x' });
    await app.close();
    const headers = await securityHeaders();
    for (const [name, value] of Object.entries(headers)) expect({ name, value: answer.headers[name] }).toEqual({ name, value });
    const fromHelmet = Object.keys(answer.headers).filter((name) => !['content-type', 'content-length', 'date', 'connection', 'keep-alive'].includes(name));
    expect(Object.keys(headers).sort()).toEqual(fromHelmet.sort());
    expect(headers).toMatchObject({ 'x-frame-options': 'DENY', 'referrer-policy': 'no-referrer', 'x-content-type-options': 'nosniff' });
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(headers).not.toHaveProperty('x-powered-by');
    expect(Object.isFrozen(headers)).toBe(true);
    expect(await securityHeaders()).toBe(headers);
  });

  it("withSecurityHeaders puts them on the router's own error answers, which no hook sees", async () => {
    const headers = await securityHeaders();
    const app = Fastify({
      routerOptions: { maxParamLength: 10 },
      frameworkErrors: withSecurityHeaders((_error: Error, _request: unknown, reply: FastifyReply) => void reply.code(414).send('too long'), headers),
    });
    app.get('/x/:id', async () => 'ok');
    const answer = await app.inject({ method: 'GET', url: `/x/${'a'.repeat(50)}` });
    await app.close();
    expect(answer.statusCode).toBe(414);
    expect(answer.headers['x-frame-options']).toBe('DENY');
    expect(answer.headers['content-security-policy']).toBe(headers['content-security-policy']);
  });
});
