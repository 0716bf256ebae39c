import { checkParity, type ParityReport } from '@bnpl/parity';
import { materializeRange } from '@bnpl/batch';
import { PostgresSourceFeatureReader, SourceDatabase } from '@bnpl/postgres';
import { bnplCatalog } from '@bnpl/feature-definitions';
import type { OnlineStore } from '@bnpl/online-store';
import { createOnlineStore } from '@bnpl/online-store-nest';
import { makeTempDir, startEmbeddedPostgres, type RunningPostgres } from '@bnpl/service-launchers';
import {
  freePort,
  getJson,
  runSql,
  seedSyntheticSource,
  SourceChangeWriter,
  spawnService,
  startRedisServer,
  waitFor,
  waitForHttp,
  waitForSlotCaughtUp,
  type RunningRedis,
  type ServiceProcess,
} from '@bnpl/testing';
import { migrateDatabase } from '@bnpl/postgres';

const CUSTOMERS = 300;

interface Ready {
  status: string;
  info?: Record<string, Record<string, unknown>>;
  error?: Record<string, { status: string; message?: string }>;
  details?: Record<string, Record<string, unknown>>;
}

/**
 * The streaming path end to end: a real PostgreSQL with logical replication, a real Redis, the
 * cdc-ingestor as its own process. The online store must equal the batch SQL recompute (parity check)
 * after random changes, after SIGKILLs at random points, with Redis down for a while, and across a
 * PostgreSQL restart.
 */
describe('cdc-ingestor streaming (real PostgreSQL logical replication, Redis)', () => {
  const dir = makeTempDir('bnpl-cdc-e2e-');
  let pg: RunningPostgres;
  let pgPort: number;
  let redis: RunningRedis;
  let db: SourceDatabase;
  let online: OnlineStore;
  let writer: SourceChangeWriter;
  let ingestor: ServiceProcess | undefined;
  let httpUrl = '';

  const openDb = async () => {
    const opened = new SourceDatabase({ type: 'postgres', url: pg.url, poolSize: 4 });
    await opened.start();
    return opened;
  };
  const sourceReader = () => new PostgresSourceFeatureReader(bnplCatalog, (sql, params) => db.query(sql, params));
  /**
   * Every customer's views written by the batch path, as in production before the stream keeps them
   * current. (Touching rows no longer does it: an update reaches only the views that read a column it changed.)
   */
  const materializeCustomers = () =>
    materializeRange(
      { catalog: bnplCatalog, source: sourceReader(), online },
      { views: bnplCatalog.views.filter((v) => v.entity.name === 'customer').map((v) => v.name), fromId: '1', toId: String(CUSTOMERS), asOf: new Date() },
    );

  const startPg = async () => {
    pg = await startEmbeddedPostgres({ dataDir: `${dir.path}/pg`, port: pgPort, durable: false, settings: { wal_sender_timeout: '5s' } });
  };

  const startIngestor = async (until: 'ready' | 'streaming' = 'ready'): Promise<ServiceProcess> => {
    const streamedBy = until === 'streaming' ? await slotPid() : null;
    const port = await freePort();
    httpUrl = `http://127.0.0.1:${port}`;
    const service = spawnService('cdc-ingestor', {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: pg.url,
      ONLINE_STORE: 'redis',
      REDIS_URL: redis.url,
      CDC_MAX_LAG_SECONDS: '5',
    });
    ingestor = service;
    if (until === 'ready') {
      await waitForHttp(service, `${httpUrl}/health/ready`, 200, 60_000);
    } else {
      // Attached to the slot (a walsender other than the killed process's), whatever its lag.
      await waitForHttp(service, `${httpUrl}/health/live`, 200, 60_000);
      await waitFor('the new ingestor to stream from the slot', async () => {
        const pid = await slotPid();
        return pid !== null && pid !== streamedBy;
      }, 60_000);
    }
    return service;
  };

  /** The walsender streaming the slot to an ingestor, or null when none is. */
  const slotPid = async (): Promise<number | null> => {
    const [row] = await runSql(pg.url, `SELECT active_pid FROM pg_replication_slots WHERE slot_name = 'bnpl_features'`);
    return (row?.['active_pid'] as number | null | undefined) ?? null;
  };

  /** The readiness verdict with its details (/health/details: /health/ready says only up or down). */
  const ready = async (): Promise<{ status: number; body: Ready }> => {
    const r = await getJson(`${httpUrl}/health/details`, 3_000);
    return { status: r.status, body: r.body as Ready };
  };

  /** Waits until the slot has confirmed everything written so far (the ingestor has caught up). */
  const caughtUp = () => waitForSlotCaughtUp(pg.url, 'bnpl_features');

  const parity = async (): Promise<ParityReport> => {
    const source = sourceReader();
    return checkParity({ catalog: bnplCatalog, source, online }, { entity: 'customer', fromId: '1', toId: String(CUSTOMERS) });
  };

  const expectParity = async () => {
    const report = await parity();
    expect({ mismatchedRows: report.mismatchedRows, byFeature: report.byFeature, samples: report.samples.slice(0, 3) }).toEqual({ mismatchedRows: 0, byFeature: {}, samples: [] });
    expect(report.rowsChecked).toBe(CUSTOMERS * 4);
  };

  beforeAll(async () => {
    pgPort = await freePort();
    await startPg();
    await migrateDatabase({ type: 'postgres', url: pg.url });
    await seedSyntheticSource(pg.url, CUSTOMERS);
    redis = await startRedisServer();
    db = await openDb();
    online = createOnlineStore({ type: 'redis', url: redis.url }, bnplCatalog);
    writer = await SourceChangeWriter.open(pg.url, { customers: CUSTOMERS, seed: 20261125 });
  }, 120_000);

  afterAll(async () => {
    await ingestor?.stop();
    await writer?.close();
    await online?.close();
    await db?.close();
    await redis?.stop();
    await pg?.stop();
    dir.remove();
  });

  it('moves windows with the clock: at start (and each UTC midnight) recomputes the entities on window edges', async () => {
    // Customer 5 has an order dated exactly 30 days ago: it left the 30-day windows today. The online
    // store holds a value computed before that (orders_30d counting it), with no change since.
    await runSql(
      pg.url,
      `INSERT INTO orders (id, customer_id, merchant_id, amount_minor, currency, installment_count, status, created_at, updated_at)
       VALUES (990001, 5, 1, 4200, 'EUR', 3, 'active', date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' - interval '30 days' + interval '12 hours', now() - interval '2 days')`,
    );
    const source = sourceReader();
    const yesterday = new Date(Date.now() - 86_400_000);
    const [stale] = await source.readView('customer_spending', ['5'], yesterday);
    await online.write([{ key: { entity: 'customer', id: '5' }, view: 'customer_spending', values: stale ?? {}, eventTime: yesterday }], { mode: 'overwrite' });
    const today = new Date().toISOString().slice(0, 10);
    await startIngestor();
    await waitFor('the window edges of today to be recomputed', async () => ((ingestor?.output() ?? '').includes(`window edges of ${today}`) ? true : undefined), 30_000);
    const report = await checkParity({ catalog: bnplCatalog, source, online }, { entity: 'customer', views: ['customer_spending'], fromId: '5', toId: '5', ids: ['5'] });
    expect({ mismatched: report.mismatchedRows, missing: report.missingOnline }).toEqual({ mismatched: 0, missing: 0 });
    const [[stored]] = await online.read([{ entity: 'customer', id: '5' }], ['customer_spending']);
    expect(stored?.eventTime.getTime()).toBeGreaterThan(yesterday.getTime() + 3_600_000);
    expect((await ready()).body.info?.['cdc']?.['windowEdges']).toEqual(expect.objectContaining({ day: today, entities: expect.any(Number) }));
  });

  it('streams every kind of change into the online store: parity with the batch SQL, with events and lag on health', async () => {
    await materializeCustomers();
    for (let i = 0; i < 400; i++) await writer.step();
    await caughtUp();
    await expectParity();
    const { body } = await ready();
    expect(body.info?.['cdc']).toEqual(expect.objectContaining({ lagBytes: expect.any(Number), lagSeconds: expect.any(Number), changesPerSecond: expect.any(Number) }));
    expect(Number(body.info?.['cdc']?.['transactionsApplied'])).toBeGreaterThan(300);
    // The unauthenticated probe says up or down, nothing else: no positions, lag or hosts.
    const probe = await getJson(`${httpUrl}/health/ready`, 3_000);
    expect(probe).toEqual({ status: 200, body: { status: 'ok', degraded: [], info: expect.any(Object), error: {}, details: expect.any(Object) } });
    for (const entry of Object.values((probe.body as Ready).details ?? {})) expect(entry).toEqual({ status: 'up' });
    const metrics = await (await fetch(`${httpUrl}/metrics`)).text();
    expect(metrics).toMatch(/bnpl_cdc_changes_applied_total\S* [1-9]\d*/);
    expect(metrics).toMatch(/bnpl_cdc_replication_lag_bytes\S* \d+/);
    expect(metrics).toMatch(/bnpl_cdc_commit_to_write_seconds_bucket/);
    expect(metrics).toMatch(/bnpl_cdc_applied_through_timestamp_seconds \d/);
  });

  it('stores per-day tiles with streamed rows and keeps a stream watermark in the online store', async () => {
    const before = Date.now();
    await runSql(
      pg.url,
      `UPDATE customers SET kyc_level = (kyc_level + 1) % 4, updated_at = now() WHERE id = 11`,
      `UPDATE installments SET days_past_due = days_past_due + 1, updated_at = now() WHERE customer_id = 11`,
    );
    await caughtUp();
    const [[repayment, profile]] = await online.read([{ entity: 'customer', id: '11' }], ['customer_repayment', 'customer_profile']);
    expect(repayment?.tiles).toEqual(expect.objectContaining({ asOfDay: Math.floor(Date.now() / 86_400_000), tiles: expect.any(Object) }));
    expect(profile?.tiles?.columns).toEqual(expect.objectContaining({ account_age_days: expect.any(Number) }));
    // Written on the ingestor's next status poll (every 2 s): at least the commit above, never in the future.
    const watermark = await waitFor('the stream watermark to pass the update', async () => {
      const w = await online.readStreamWatermark?.();
      return w && w.getTime() >= before - 1_000 ? w : undefined;
    }, 15_000);
    expect(watermark.getTime()).toBeLessThanOrEqual(Date.now());
    expect(Date.parse(String((await ready()).body.info?.['cdc']?.['appliedThrough']))).toBeGreaterThanOrEqual(watermark.getTime());
  });

  it('skips tables it does not know, counting them, never receives a column no view reads, and keeps streaming', async () => {
    await runSql(
      pg.url,
      `ALTER TABLE payments ADD COLUMN IF NOT EXISTS note text`,
      `CREATE TABLE IF NOT EXISTS loyalty_points (id bigint PRIMARY KEY, customer_id bigint, points int)`,
      `ALTER PUBLICATION bnpl_features ADD TABLE loyalty_points`,
      `INSERT INTO loyalty_points VALUES (1, 7, 100)`,
      `INSERT INTO payments (installment_id, customer_id, amount_minor, currency, status, attempted_at, note)
       SELECT id, customer_id, 100, currency, 'failed', now(), 'with a new column' FROM installments WHERE customer_id = 7 LIMIT 1`,
    );
    for (let i = 0; i < 50; i++) await writer.step();
    await caughtUp();
    const metrics = await (await fetch(`${httpUrl}/metrics`)).text();
    expect(metrics).toMatch(/bnpl_cdc_changes_skipped_total\{[^}]*reason="unknown_table"[^}]*\} [1-9]/);
    // The publication lists the columns features read: a column added to a source table is not streamed at all.
    expect(metrics).not.toMatch(/bnpl_cdc_changes_skipped_total\{[^}]*reason="unknown_column"[^}]*\} [1-9]/);
    const [payments] = await runSql(pg.url, `SELECT attnames::text[] AS attnames FROM pg_publication_tables WHERE pubname = 'bnpl_features' AND tablename = 'payments'`);
    expect(payments?.['attnames']).not.toContain('note');
    expect(ingestor?.output()).toMatch(/skipping unknown table in loyalty_points/);
    expect((await ready()).status).toBe(200);
    await expectParity();
  });

  it('loses and double-counts nothing when SIGKILLed at random points of thousands of changes', async () => {
    let stop = false;
    let written = 0;
    const writing = (async () => {
      while (!stop) {
        await writer.step();
        written++;
      }
    })();
    try {
      // Each restart is killed again once it streams, wherever it is: replaying what the last one left
      // unacknowledged, recomputing window edges at start, or keeping up. Its lag is not waited for (the
      // writer runs flat out, so on a loaded machine the lag bound may take long to meet); readiness
      // after a restart is the other tests' subject, and the end state is checked below.
      for (let kill = 0; kill < 4; kill++) {
        await new Promise((r) => setTimeout(r, 300 + Math.random() * 1_200));
        ingestor?.child.kill('SIGKILL');
        await ingestor?.exited;
        await startIngestor('streaming');
      }
      await waitFor('a thousand changes written', async () => written > 1_000, 60_000);
    } finally {
      // Also on a failure: a writer left running would change the source under the next tests.
      stop = true;
      await writing;
    }
    expect(written).toBeGreaterThan(1_000);
    await caughtUp();
    await expectParity();
  });

  it('with Redis down: stops acknowledging, turns not-ready, and catches up with nothing lost when Redis returns', async () => {
    const [{ before }] = await runSql(pg.url, `SELECT confirmed_flush_lsn::text AS before FROM pg_replication_slots WHERE slot_name = 'bnpl_features'`);
    await redis.kill();
    for (let i = 0; i < 200; i++) await writer.step();
    const down = await waitFor('readiness to report applying fails', async () => {
      const r = await ready();
      return r.status === 503 && r.body.error?.['cdc'] ? r.body : undefined;
    });
    expect(down.error?.['cdc']?.message).toMatch(/applying source changes fails, nothing is acknowledged/);
    const [{ during }] = await runSql(pg.url, `SELECT confirmed_flush_lsn::text AS during FROM pg_replication_slots WHERE slot_name = 'bnpl_features'`);
    // Whatever was confirmed while Redis died belonged to changes applied before it; none of the 200 is.
    const [{ behind }] = await runSql(pg.url, `SELECT pg_current_wal_insert_lsn() > '${String(during)}'::pg_lsn AS behind`);
    expect(behind).toBe(true);
    expect(String(before)).toBeTruthy();
    redis = await startRedisServer({ port: redis.port });
    // Redis came back empty: a rebuild (batch materialization) refills what was lost with it; the stream
    // must still apply every change made while it was down.
    await caughtUp();
    await waitForHttp(ingestor as ServiceProcess, `${httpUrl}/health/ready`, 200, 30_000);
    const report = await parity();
    expect(report.mismatchedRows).toBe(report.missingOnline);
    // Every customer changed while Redis was down is back, and equal to the source.
    expect(report.rowsChecked - report.missingOnline).toBeGreaterThan(0);
  });

  it('reconnects after a PostgreSQL restart under load and catches up', async () => {
    let stop = false;
    let failures = 0;
    const writing = (async () => {
      while (!stop) {
        try {
          await writer.step();
        } catch {
          // The server is restarting: reopen until it answers again.
          failures++;
          await writer.close();
          for (;;) {
            await new Promise((r) => setTimeout(r, 200));
            try {
              writer = await SourceChangeWriter.open(pg.url, { customers: CUSTOMERS, seed: 99 + failures });
              break;
            } catch {
              if (stop) return;
            }
          }
        }
      }
    })();
    await new Promise((r) => setTimeout(r, 800));
    await db.close();
    const stopping = Date.now();
    await pg.stop();
    const stoppedInMs = Date.now() - stopping;
    await startPg();
    db = await openDb();
    await new Promise((r) => setTimeout(r, 1_500));
    stop = true;
    await writing;
    expect(failures).toBeGreaterThan(0);
    expect(stoppedInMs).toBeLessThan(20_000);
    // Every customer's rows again after the Redis loss above, then whatever the stream applied since wins.
    await caughtUp();
    await materializeCustomers();
    await waitForHttp(ingestor as ServiceProcess, `${httpUrl}/health/ready`, 200, 30_000);
    expect(ingestor?.output()).toMatch(/replication stream failed, reconnecting/);
    await expectParity();
  });

  it('on SIGTERM applies and acknowledges what it received, and exits 0', async () => {
    for (let i = 0; i < 100; i++) await writer.step();
    const service = ingestor as ServiceProcess;
    await service.stop();
    expect(await service.exited).toEqual({ code: 0, signal: null });
    expect(service.output()).toMatch(/stopped after applying \d+ transaction/);
    ingestor = undefined;
    // The slot is released (the server ends the walsender a moment after the client goes).
    await waitFor('the slot to be released', async () => {
      const [{ active }] = await runSql(pg.url, `SELECT active FROM pg_replication_slots WHERE slot_name = 'bnpl_features'`);
      return active === false ? true : undefined;
    }, 10_000);
    // A new ingestor resumes from the slot and the store equals the source.
    await startIngestor();
    await caughtUp();
    await expectParity();
  });
});
