import helmet from '@fastify/helmet';
import Fastify from 'fastify';
import { SECURITY_HEADERS, securityHeaders } from './security-headers';

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
});
