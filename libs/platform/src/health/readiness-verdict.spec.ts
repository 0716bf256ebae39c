import { readinessVerdict, type CheckResult } from './readiness-verdict';

const check = (name: string, up: boolean, degradable = false): CheckResult => ({ name, up, degradable, details: up ? { latencyMs: 1 } : { message: `${name} down` } });

describe('readinessVerdict', () => {
  it('is ready and not degraded when everything answers', () => {
    const v = readinessVerdict([check('postgres', true), check('online-store', true, true)]);
    expect(v).toMatchObject({ ready: true, degraded: [], body: { status: 'ok', degraded: [], error: {} } });
    expect(v.body.info['postgres']).toEqual({ status: 'up' });
    expect(v.detailed.info['postgres']).toEqual({ latencyMs: 1, status: 'up' });
  });

  it('stays ready but degraded, naming it, while only a degradable dependency is down', () => {
    const v = readinessVerdict([check('postgres', true), check('online-store', false, true)]);
    expect(v).toMatchObject({ ready: true, degraded: ['online-store'], body: { status: 'ok', degraded: ['online-store'] } });
    expect(v.body.error['online-store']).toEqual({ status: 'down' });
    expect(v.detailed.error['online-store']).toEqual({ message: 'online-store down', status: 'down' });
  });

  it('is not ready when a dependency it cannot serve without is down', () => {
    expect(readinessVerdict([check('postgres', false), check('online-store', true, true)])).toMatchObject({ ready: false, degraded: [], body: { status: 'error' } });
    expect(readinessVerdict([check('postgres', false), check('online-store', false, true)]).ready).toBe(false);
  });

  it('says only up or down in the public body; the detailed one masks addresses and URLs in failures', () => {
    const v = readinessVerdict([
      { name: 'postgres', up: false, degradable: false, details: { message: 'connect ECONNREFUSED 10.1.2.3:5432 (postgres://app:hunter2@db.internal:5432/bnpl)' } },
      { name: 'cdc', up: true, degradable: false, details: { confirmedLsn: '0/16B3748', lagBytes: 1024, target: 'db.internal:5432/bnpl' } },
    ]);
    expect(v.body).toEqual({ status: 'error', degraded: [], info: { cdc: { status: 'up' } }, error: { postgres: { status: 'down' } }, details: { cdc: { status: 'up' }, postgres: { status: 'down' } } });
    expect(JSON.stringify(v.detailed.error)).toBe(JSON.stringify({ postgres: { message: 'connect ECONNREFUSED <address> (<url>)', status: 'down' } }));
    expect(JSON.stringify(v.detailed.error)).not.toMatch(/hunter2|10\.1\.2\.3|db\.internal/);
  });
});
