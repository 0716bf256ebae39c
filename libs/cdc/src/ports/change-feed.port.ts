/** What a row change did. */
export type ChangeOperation = 'insert' | 'update' | 'delete';

/**
 * One decoded row change of a committed source transaction. Column values are as the driver decodes
 * them (int8 and numeric as decimal strings, timestamps as Date, NULL as null).
 */
export interface SourceChange {
  readonly schema: string;
  readonly table: string;
  readonly op: ChangeOperation;
  /** Every column of the table as the source sent it, in table order: what routing checks for unknown columns. */
  readonly columns: readonly string[];
  /** The row after the change (insert, update). */
  readonly newRow?: Readonly<Record<string, unknown>>;
  /**
   * The row before the change (update, delete): whole with REPLICA IDENTITY FULL, the key columns only
   * otherwise, absent when the source did not send it.
   */
  readonly oldRow?: Readonly<Record<string, unknown>> | null;
}

/** One committed source transaction, in commit order. */
export interface SourceTransaction {
  /**
   * The position right after the commit (`X/Y` hex, PostgreSQL's LSN format). Acknowledging it tells the
   * source that this transaction and every earlier one are durable downstream.
   */
  readonly lsn: string;
  readonly commitTime: Date;
  /** The source's transaction id (PostgreSQL: the 32-bit xid), for `ChangeFeed.waitVisible`. */
  readonly xid?: number;
  readonly changes: readonly SourceChange[];
  /** Tables truncated in the transaction: every entity may be affected, so only a rebuild repairs them. */
  readonly truncatedTables: readonly string[];
}

/** How the feed hands transactions over. */
export interface ChangeFeedHandler {
  /**
   * Called once per committed transaction, in commit order. The returned promise is backpressure: the
   * feed reads nothing more from the source until it settles.
   */
  onTransaction(transaction: SourceTransaction): Promise<void> | void;
  /**
   * The feed lost its connection and resumed from the last acknowledged position: every transaction
   * handed over but not acknowledged will be handed over again.
   */
  onReconnect(): void;
  /** A failure the feed will recover from by reconnecting (logged and counted by the caller). */
  onError(error: Error): void;
  /**
   * True while the handler cannot apply what it was given (the online store or the source is down). The
   * feed then stops answering the source's keepalives, so that the source times the stream out instead of
   * waiting for confirmations that cannot come: a PostgreSQL shutting down waits for its walsenders, and a
   * walsender waits until its client confirms everything it sent.
   */
  isStalled(): boolean;
  /**
   * The source said it has sent everything committed so far, while every transaction handed over had
   * been acknowledged: every change committed before `at` is applied. Feeds call it when they learn it
   * (PostgreSQL: a keepalive received while idle); the handler may move its stream watermark to `at`.
   */
  onCaughtUp?(at: Date): void;
}

/** The slot's position and health as the source sees it. */
export interface ChangeFeedStatus {
  /** False when the replication slot no longer exists (dropped by an operator, or invalidated). */
  readonly slotExists: boolean;
  /** True while this feed is connected and streaming. */
  readonly streaming: boolean;
  /** Bytes of WAL written by the source and not yet acknowledged: what a restart would replay, at most. */
  readonly lagBytes: number;
  /** The last acknowledged position, as the source has it. */
  readonly confirmedLsn?: string;
}

/**
 * A stream of committed source transactions from a durable position (PostgreSQL: a logical replication
 * slot with the pgoutput plugin on a publication of the source tables).
 *
 * Contract:
 * - `start` creates the publication and slot when missing, failing with a message that names the fix
 *   when the source cannot do logical replication (wal_level, missing REPLICATION privilege); then
 *   streams from the slot's confirmed position: after a restart, every transaction not acknowledged is
 *   handed over again (at-least-once, in commit order).
 * - A lost connection is retried with backoff; `onReconnect` is called before the replay starts.
 * - `acknowledge(lsn)` is the only way the slot advances: call it after the transaction is durable.
 *   Positions only move forward (an older lsn is ignored).
 * - `stop` closes the stream without acknowledging anything more.
 */
export interface ChangeFeed {
  /**
   * Resolves once streaming; says whether it had to create the slot (the stream then starts now, and
   * nothing committed before is in it).
   */
  start(handler: ChangeFeedHandler): Promise<void | { readonly slotCreated: boolean }>;
  acknowledge(lsn: string): Promise<void>;
  /**
   * Resolves once reads of the source started from now on see every given transaction. A commit can reach
   * the stream a moment before it is visible to other sessions (PostgreSQL flushes the commit record, which
   * the walsender may send at once, before it ends the transaction in shared memory): recomputing from the
   * source in that moment would read the state before the change and write it as current.
   */
  waitVisible(transactions: readonly SourceTransaction[]): Promise<void>;
  status(): Promise<ChangeFeedStatus>;
  stop(): Promise<void>;
}

/** Injection token of the ChangeFeed port. */
export const CHANGE_FEED = Symbol('CHANGE_FEED');
