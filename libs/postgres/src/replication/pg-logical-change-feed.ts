import { exponentialBackoff, type BackoffSchedule } from '@bnpl/feature-definitions';
import { compareLsn, lsnToBigInt, type ChangeFeed, type ChangeFeedHandler, type ChangeFeedStatus, type SourceChange, type SourceTransaction } from '@bnpl/cdc';
import { LogicalReplicationService, PgoutputPlugin, type Pgoutput } from 'pg-logical-replication';
import { type ConnectionOptions } from 'node:tls';
import { type SourceDatabase } from '../lib/source-database';
import { pgConnection, resolvePgTls, type PgTlsOptions } from '../lib/pg-tls';
import { LogicalReplicationUnavailableError } from './logical-replication-unavailable.error';

export interface PgChangeFeedOptions {
  /** postgres://... of a role with REPLICATION (or superuser) on the source database. */
  readonly url: string;
  /** Logical replication slot (created with the pgoutput plugin when missing). */
  readonly slotName: string;
  /**
   * Publication the slot streams: created when missing, and set to exactly `tables` (their columns, and
   * nothing else) when it differs.
   */
  readonly publicationName: string;
  /**
   * Source tables to publish (schema `public`), each with the only columns to publish (the catalog's
   * `sourceColumnsRead`). The table's replica identity columns are published too (PostgreSQL requires it);
   * a table whose replica identity is FULL or NOTHING is refused, since it could only be published whole.
   */
  readonly tables: Readonly<Record<string, readonly string[]>>;
  /** Shown in pg_stat_replication. */
  readonly applicationName?: string;
  /** TLS to the server (DbOptions.tls, from toDbOptions); from the URL's sslmode when absent. */
  readonly tls?: PgTlsOptions;
  /** Backoff between reconnection attempts: first and longest wait. Defaults 100 ms and 5 s. */
  readonly reconnectInitialMs?: number;
  readonly reconnectMaxMs?: number;
  /** Called when the stream drops, with the reason; for logs. */
  readonly onDisconnect?: (error: Error | undefined) => void;
  /**
   * Called at start with a source setting that does not stop the stream but can make the online store
   * wrong (asynchronous commit, see ASYNC_COMMIT_WARNING); for logs.
   */
  readonly onWarning?: (message: string) => void;
}

/**
 * Why `synchronous_commit = off` on the source matters: the ingestor recomputes an entity from the source's
 * current state, and an asynchronous commit is visible before it is written. A crash of PostgreSQL can
 * then drop a commit the ingestor has already read (while recomputing an earlier change), and the online
 * store keeps the value the source no longer has until the entity's next change.
 */
export const ASYNC_COMMIT_WARNING =
  'synchronous_commit is off on the source database: a PostgreSQL crash can drop commits the ingestor has already read, ' +
  "and the online store then keeps their values until each entity's next change; set synchronous_commit = on (the default) for the source";

const NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Taken off a keepalive's receipt time before it counts as the instant the source had sent everything. */
const CAUGHT_UP_MARGIN_MS = 1_000;

/**
 * ChangeFeed over PostgreSQL logical replication with the built-in `pgoutput` plugin (protocol v1),
 * through pg-logical-replication. Transactions are assembled from BEGIN .. COMMIT and handed over at
 * COMMIT with the commit's end LSN; the slot advances only through `acknowledge`.
 *
 * Keepalives: when everything handed over is acknowledged and no transaction is open, a keepalive's
 * position is acknowledged too. WAL is shared by the whole cluster, so without this an idle slot would
 * hold back (and report as lag) every byte other databases and unpublished tables write.
 */
export class PgLogicalChangeFeed implements ChangeFeed {
  private handler?: ChangeFeedHandler;
  private service?: LogicalReplicationService;
  private stopped = true;
  private streaming = false;
  private running?: Promise<void>;
  private inTransaction = false;
  /** Commit LSN of the last transaction handed over, and the last one acknowledged. */
  private handedOver = '0/0';
  private acknowledged = '0/0';
  private readonly reconnectBackoff: BackoffSchedule;

  constructor(
    private readonly db: SourceDatabase,
    private readonly options: PgChangeFeedOptions,
  ) {
    for (const [what, name] of [
      ['slot', options.slotName],
      ['publication', options.publicationName],
    ] as const) {
      if (!NAME.test(name)) throw new RangeError(`invalid ${what} name "${name}": lower-case letters, digits and _ only, at most 63, not starting with a digit`);
    }
    this.reconnectBackoff = exponentialBackoff({ initialMs: options.reconnectInitialMs ?? 100, maxMs: options.reconnectMaxMs ?? 5_000 });
  }

  async start(handler: ChangeFeedHandler): Promise<{ slotCreated: boolean }> {
    const slotCreated = await this.prepare();
    this.handler = handler;
    this.stopped = false;
    const started = new Promise<void>((resolve, reject) => {
      this.running = this.run(resolve, reject);
    });
    await started;
    return { slotCreated };
  }

  async acknowledge(lsn: string): Promise<void> {
    if (compareLsn(lsn, this.acknowledged) <= 0) return;
    this.acknowledged = lsn;
    if (this.service) sendStandbyStatus(this.service, lsn);
  }

  async waitVisible(transactions: readonly SourceTransaction[], timeoutMs = 10_000): Promise<void> {
    const xids = [...new Set(transactions.map((t) => t.xid).filter((x): x is number => x !== undefined))];
    if (xids.length === 0) return;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [snapshot] = await this.db.query<{ xmax: string; xip: string[] }>(
        `SELECT pg_snapshot_xmax(s)::text AS xmax, ARRAY(SELECT pg_snapshot_xip(s)::text) AS xip FROM pg_current_snapshot() s`,
      );
      if (xids.every((xid) => visibleIn(xid, BigInt(snapshot.xmax), snapshot.xip))) return;
      if (Date.now() > deadline) throw new Error(`transactions ${xids.join(', ')} not visible after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }

  async status(): Promise<ChangeFeedStatus> {
    const [slot] = await this.db.query<{ confirmed: string | null; lag: number | null; wal_status: string | null }>(
      `SELECT confirmed_flush_lsn::text AS confirmed,
              pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::float8 AS lag,
              wal_status
         FROM pg_replication_slots WHERE slot_name = $1 AND database = current_database()`,
      [this.options.slotName],
    );
    return {
      slotExists: slot !== undefined && slot.wal_status !== 'lost',
      streaming: this.streaming,
      lagBytes: Math.max(0, Number(slot?.lag ?? 0)),
      ...(slot?.confirmed ? { confirmedLsn: slot.confirmed } : {}),
    };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.service?.stop().catch(() => undefined);
    await this.running;
  }

  /**
   * Checks that the source can replicate and creates the publication and the slot when missing. Every
   * failure names the fix: this is what an operator reads when the ingestor will not start. Resolves true
   * when it created the slot.
   */
  private async prepare(): Promise<boolean> {
    const { slotName, publicationName, tables } = this.options;
    const [settings] = await this.db.query<{ wal_level: string; synchronous_commit: string; can_replicate: boolean }>(
      `SELECT current_setting('wal_level') AS wal_level, current_setting('synchronous_commit') AS synchronous_commit,
              (SELECT rolreplication OR rolsuper FROM pg_roles WHERE rolname = current_user) AS can_replicate`,
    );
    // This session's value is the database's (or the server's) default, what the source's writers get
    // unless they change it themselves.
    if (settings.synchronous_commit === 'off') this.options.onWarning?.(ASYNC_COMMIT_WARNING);
    if (settings.wal_level !== 'logical') {
      throw new LogicalReplicationUnavailableError(`wal_level is "${settings.wal_level}": set wal_level = logical in postgresql.conf and restart PostgreSQL`);
    }
    if (!settings.can_replicate) {
      throw new LogicalReplicationUnavailableError('the database role lacks the REPLICATION attribute: ALTER ROLE <user> WITH REPLICATION');
    }
    await this.preparePublication(publicationName, tables);
    const [slot] = await this.db.query<{ plugin: string; wal_status: string | null }>(
      `SELECT plugin, wal_status FROM pg_replication_slots WHERE slot_name = $1 AND database = current_database()`,
      [slotName],
    );
    if (slot && slot.plugin !== 'pgoutput') throw new LogicalReplicationUnavailableError(`replication slot "${slotName}" uses plugin ${slot.plugin}, not pgoutput: drop it or choose another CDC_SLOT_NAME`);
    if (slot?.wal_status === 'lost') {
      throw new LogicalReplicationUnavailableError(
        `replication slot "${slotName}" is lost (its WAL was removed): drop it with SELECT pg_drop_replication_slot('${slotName}'), restart the ingestor, then rebuild the online store with a full materialization`,
      );
    }
    if (!slot) {
      try {
        await this.db.query(`SELECT pg_create_logical_replication_slot($1, 'pgoutput')`, [slotName]);
      } catch (error) {
        throw new LogicalReplicationUnavailableError(`could not create replication slot "${slotName}" (${reason(error)})`, { cause: error });
      }
    }
    return !slot;
  }

  /**
   * Makes the publication list exactly `tables`, each with its columns and its replica identity's: a
   * publication with more (an older one that published whole rows, a table added by hand) is narrowed in
   * one statement, so no change is decoded under a half-set list.
   */
  private async preparePublication(publicationName: string, tables: Readonly<Record<string, readonly string[]>>): Promise<void> {
    const names = Object.keys(tables);
    const identities = await this.db.query<{ table: string; identity: string; key: string[] }>(
      `SELECT c.relname::text AS table, c.relreplident::text AS identity,
              ARRAY(SELECT a.attname::text FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
                     WHERE i.indrelid = c.oid AND ((c.relreplident = 'd' AND i.indisprimary) OR (c.relreplident = 'i' AND i.indisreplident))) AS key
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relname = ANY ($1::text[])`,
      [names],
    );
    const wanted = new Map<string, string[]>();
    for (const table of names) {
      const found = identities.find((row) => row.table === table);
      if (!found) throw new LogicalReplicationUnavailableError(`table public."${table}" does not exist: run the migrations`);
      if (found.identity === 'f' || found.identity === 'n' || found.key.length === 0) {
        throw new LogicalReplicationUnavailableError(
          `table public."${table}" has REPLICA IDENTITY ${found.identity === 'f' ? 'FULL' : 'NOTHING'}: its publication could then only carry every column; run the migrations (they set the identity to the table's keys)`,
        );
      }
      wanted.set(table, [...new Set([...tables[table], ...found.key])].sort());
    }
    const published = await this.db.query<{ tablename: string; attnames: string[] }>(
      `SELECT tablename::text AS tablename, attnames::text[] AS attnames FROM pg_publication_tables WHERE pubname = $1 AND schemaname = 'public'`,
      [publicationName],
    );
    const [publication] = await this.db.query(`SELECT 1 FROM pg_publication WHERE pubname = $1`, [publicationName]);
    const same =
      published.length === wanted.size &&
      published.every((row) => {
        const columns = wanted.get(row.tablename);
        return columns !== undefined && [...row.attnames].sort().join(',') === columns.join(',');
      });
    if (publication && same) return;
    const list = [...wanted].map(([table, columns]) => `public."${table}" (${columns.map((c) => `"${c}"`).join(', ')})`).join(', ');
    const sql = publication ? `ALTER PUBLICATION "${publicationName}" SET TABLE ${list}` : `CREATE PUBLICATION "${publicationName}" FOR TABLE ${list}`;
    try {
      await this.db.query(sql);
    } catch (error) {
      throw new LogicalReplicationUnavailableError(`could not ${publication ? 'narrow' : 'create'} publication "${publicationName}" (${reason(error)}); run as the tables' owner: ${sql}`, { cause: error });
    }
  }

  /** Streams, reconnecting with backoff, until stop(). Calls `started` once the first stream runs. */
  private async run(started: () => void, failedToStart: (error: Error) => void): Promise<void> {
    // Reconnections since a stream last started: they set the wait before the next one.
    let failures = 0;
    let first = true;
    while (!this.stopped) {
      const service = new LogicalReplicationService(
        { ...replicationConnection(this.options.url, this.options.tls), application_name: this.options.applicationName ?? 'cdc-ingestor', connectionTimeoutMillis: 5_000 },
        // Acknowledgements are ours alone: the library's automatic ones would confirm data not yet applied.
        { acknowledge: { auto: false, timeoutSeconds: 0 } },
      );
      this.service = service;
      this.inTransaction = false;
      let failure: Error | undefined;
      service.on('error', (error: Error) => (failure ??= error));
      service.on('start', () => {
        this.streaming = true;
        failures = 0;
        if (first) {
          first = false;
          started();
        }
      });
      this.listen(service);
      try {
        await service.subscribe(new PgoutputPlugin({ protoVersion: 1, publicationNames: [this.options.publicationName] }), this.options.slotName);
      } catch (error) {
        failure ??= error instanceof Error ? error : new Error(String(error));
      }
      this.streaming = false;
      await service.destroy().catch(() => undefined);
      if (this.stopped) break;
      if (first && failure && /does not exist/i.test(failure.message)) {
        failedToStart(new LogicalReplicationUnavailableError(`replication slot "${this.options.slotName}": ${failure.message}`, { cause: failure }));
        return;
      }
      this.options.onDisconnect?.(failure);
      if (failure) this.handler?.onError(failure);
      // Whatever was handed over and not acknowledged comes again from the slot.
      this.handler?.onReconnect();
      this.handedOver = this.acknowledged;
      await new Promise((resolve) => setTimeout(resolve, this.reconnectBackoff(failures++)));
    }
    if (first) failedToStart(new LogicalReplicationUnavailableError('stopped before the stream started'));
  }

  /** Assembles transactions from the decoded messages (emitted synchronously, in stream order). */
  private listen(service: LogicalReplicationService): void {
    let changes: SourceChange[] = [];
    let truncated: string[] = [];
    let xid: number | undefined;
    service.on('data', (_lsn: string, message: Pgoutput.Message) => {
      switch (message.tag) {
        case 'begin':
          this.inTransaction = true;
          xid = message.xid;
          changes = [];
          truncated = [];
          return;
        case 'insert':
          changes.push({ schema: message.relation.schema, table: message.relation.name, op: 'insert', columns: columnNames(message.relation), newRow: message.new });
          return;
        case 'update':
          changes.push({ schema: message.relation.schema, table: message.relation.name, op: 'update', columns: columnNames(message.relation), newRow: message.new, oldRow: message.old ?? message.key });
          return;
        case 'delete':
          changes.push({ schema: message.relation.schema, table: message.relation.name, op: 'delete', columns: columnNames(message.relation), oldRow: message.old ?? message.key });
          return;
        case 'truncate':
          truncated.push(...message.relations.map((relation) => relation.name));
          return;
        case 'commit': {
          this.inTransaction = false;
          const lsn = message.commitEndLsn ?? _lsn;
          this.handedOver = lsn;
          const transaction: SourceTransaction = { lsn, commitTime: commitInstant(BigInt(message.commitTime.toString())), ...(xid === undefined ? {} : { xid }), changes, truncatedTables: truncated };
          changes = [];
          truncated = [];
          this.handOver(service, transaction);
          return;
        }
        default:
          return;
      }
    });
    service.on('heartbeat', (lsn: string, _timestamp: number, shouldRespond: boolean) => {
      if (this.handler?.isStalled()) return;
      const idle = !this.inTransaction && compareLsn(this.handedOver, this.acknowledged) <= 0;
      // The keepalive carries the server's WAL end when it was sent: idle, everything committed before
      // then is applied. Its send time by our clock, less a second for transit and clock skew (the
      // library's own timestamp is off by a week).
      if (idle) this.handler?.onCaughtUp?.(new Date(Date.now() - CAUGHT_UP_MARGIN_MS));
      if (idle && compareLsn(lsn, this.acknowledged) > 0) {
        this.handedOver = lsn;
        void this.acknowledge(lsn);
      } else if (shouldRespond) {
        // A reply is due (or the server drops us after wal_sender_timeout): repeat the last position.
        sendStandbyStatus(service, this.acknowledged);
      }
    });
  }

  /** Hands a transaction over; while the handler pushes back, the socket is paused. */
  private handOver(service: LogicalReplicationService, transaction: SourceTransaction): void {
    const pending = this.handler?.onTransaction(transaction);
    if (!pending) return;
    const stream = socketOf(service);
    stream?.pause();
    void Promise.resolve(pending).finally(() => stream?.resume());
  }
}

/**
 * Sends a Standby Status Update ('r') confirming `lsn` as written, flushed and applied. Not the library's
 * acknowledge(), which reports lsn + 1: a walsender shutting down waits until the confirmed position
 * equals what it sent, so an off-by-one reply keeps PostgreSQL from stopping until it kills the stream.
 */
function sendStandbyStatus(service: LogicalReplicationService, lsn: string): void {
  const connection = (service as unknown as { _connection?: { sendCopyFromChunk(chunk: Buffer): void } })._connection;
  if (!connection) return;
  const position = lsnToBigInt(lsn);
  // Microseconds since 2000-01-01.
  const now = BigInt(Date.now() - 946_684_800_000) * 1000n;
  const message = Buffer.alloc(34);
  message.write('r', 0);
  message.writeBigUInt64BE(position, 1);
  message.writeBigUInt64BE(position, 9);
  message.writeBigUInt64BE(position, 17);
  message.writeBigInt64BE(now, 25);
  message.writeUInt8(0, 33);
  connection.sendCopyFromChunk(message);
}

/**
 * Whether a committed transaction's 32-bit xid is visible in a snapshot (its xmax and in-progress xids
 * as 64-bit text): the full xid is the one just below xmax with those low 32 bits, and it is visible when
 * it is below xmax and not in progress.
 */
export function visibleIn(xid: number, xmax: bigint, inProgress: readonly string[]): boolean {
  const low = BigInt(xid >>> 0);
  let full = (xmax & ~0xffffffffn) | low;
  if (full >= xmax) full -= 0x100000000n;
  return full >= 0n && !inProgress.includes(full.toString());
}

/**
 * A commit's time (microseconds since the Unix epoch) as a Date, rounded up to the millisecond. Rounding
 * down would date the transaction's values before they held: a row it inserted with `now()` (the
 * transaction's start, to the microsecond) can fall after the floored instant when the transaction took
 * under a millisecond, and the history would then say the row existed before it did.
 */
export function commitInstant(micros: bigint): Date {
  return new Date(Number((micros + 999n) / 1000n));
}

function columnNames(relation: Pgoutput.MessageRelation): string[] {
  return relation.columns.map((column) => column.name);
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The replication connection's socket. pg-logical-replication pauses it the same way for its own flow
 * control, which we cannot use: it queues messages and emits keepalives ahead of them, so a keepalive's
 * position could be acknowledged before earlier data was handled.
 */
function socketOf(service: LogicalReplicationService): { pause(): void; resume(): void } | undefined {
  return (service as unknown as { _connection?: { stream?: { pause(): void; resume(): void } } })._connection?.stream;
}

/** node-postgres' connection string and `ssl` option for the replication stream (see pg-tls.ts). */
function replicationConnection(url: string, tls: PgTlsOptions | undefined): { connectionString: string; ssl: false | ConnectionOptions } {
  const resolved = tls ?? resolvePgTls(url).tls;
  if (!resolved) throw new LogicalReplicationUnavailableError('the TLS settings of the replication connection are invalid (see DATABASE_URL, DATABASE_SSL_MODE, DATABASE_CA_FILE)');
  const { url: connectionString, ssl } = pgConnection(url, resolved);
  return { connectionString, ssl };
}
