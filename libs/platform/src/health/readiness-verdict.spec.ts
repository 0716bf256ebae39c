import { readinessVerdict, type CheckResult } from './readiness-verdict';

const check = (name: string, up: boolean, degradable = false): CheckResult => ({ name, up, degradable, details: up ? { latencyMs: 1 } : { message: `${name} down` } });

describe('readinessVerdict', () => {
  it('is ready and not degraded when everything answers', () => {
    const v = readinessVerdict([check('postgres', true), check('online-store', true, true)]);
    expect(v).toMatchObject({ ready: true, degraded: [], body: { status: 'ok', degraded: [], error: {} } });
    expect(v.body.info['postgres']).toEqual({ latencyMs: 1, status: 'up' });
  });

  it('stays ready but degraded, naming it, while only a degradable dependency is down', () => {
    const v = readinessVerdict([check('postgres', true), check('online-store', false, true)]);
    expect(v).toMatchObject({ ready: true, degraded: ['online-store'], body: { status: 'ok', degraded: ['online-store'] } });
    expect(v.body.error['online-store']).toEqual({ message: 'online-store down', status: 'down' });
  });

  it('is not ready when a dependency it cannot serve without is down', () => {
    expect(readinessVerdict([check('postgres', false), check('online-store', true, true)])).toMatchObject({ ready: false, degraded: [], body: { status: 'error' } });
    expect(readinessVerdict([check('postgres', false), check('online-store', false, true)]).ready).toBe(false);
  });
});
