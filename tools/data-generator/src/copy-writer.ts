/**
 * COPY FROM STDIN streaming, one connection per table.
 *
 * Each table gets a `CopyLane`: a queue of text chunks tagged with a batch number, drained into one COPY
 * statement per batch (autocommit: one transaction per batch). Lanes run concurrently, so PostgreSQL
 * parses, checks and indexes the four tables in parallel while the generator produces the next slice.
 *
 * Foreign keys are checked by PostgreSQL at the end of each COPY statement, against committed rows. So a
 * child lane ends its batch `k` only once its parent lane has committed batch `k` (orders after
 * customers, installments after orders, payments after installments); the data itself streams in
 * meanwhile. Parents never wait for children, so the lanes cannot deadlock.
 */
import { once } from 'node:events';
import { type Client } from 'pg';
import { from as copyFrom, type CopyStreamQuery } from 'pg-copy-streams';
import { copyStatement } from './copy-text';
import { type TableName } from './model/rows';

/** A chunk of COPY text of a batch, or (chunk null) the end of that batch. */
type Item = { batch: number; chunk: Buffer | null };

/** Bytes a lane may hold queued before `push` makes the generator wait. */
const DEFAULT_HIGH_WATER_BYTES = 16 * 1024 * 1024;

export class CopyLane {
  /** Rows of committed batches, as PostgreSQL reported them (`COPY n`). */
  rowsCommitted = 0;
  private readonly queue: Item[] = [];
  private queuedBytes = 0;
  private committedBatch = -1;
  private failure: Error | null = null;
  private closed = false;
  private wakeRunner: (() => void) | null = null;
  private spaceWaiters: (() => void)[] = [];
  private commitWaiters: { batch: number; resolve: () => void; reject: (e: Error) => void }[] = [];
  private stream: CopyStreamQuery | null = null;
  private readonly running: Promise<void>;
  /** Rejects on the first failure: every wait of the runner races it, so a failure can never strand it. */
  private readonly failed: Promise<never>;
  private rejectFailed: (error: Error) => void = () => undefined;

  constructor(
    private readonly client: Client,
    readonly table: TableName,
    private readonly parent: CopyLane | null,
    private readonly highWaterBytes = DEFAULT_HIGH_WATER_BYTES,
  ) {
    this.failed = new Promise<never>((_, reject) => (this.rejectFailed = reject));
    this.failed.catch(() => undefined);
    this.running = this.run();
    // Failures surface through push/committed/finish; this only keeps Node from reporting them twice.
    this.running.catch(() => undefined);
  }

  /** Queues a chunk of `batch`; resolves once the queue is below its high-water mark again. */
  async push(batch: number, chunk: Buffer): Promise<void> {
    this.throwIfFailed();
    if (chunk.length === 0) return;
    this.queue.push({ batch, chunk });
    this.queuedBytes += chunk.length;
    this.wake();
    while (this.queuedBytes > this.highWaterBytes) {
      await new Promise<void>((resolve) => this.spaceWaiters.push(resolve));
      this.throwIfFailed();
    }
  }

  /** Marks the end of `batch`: its COPY is completed (committed) once the parent has committed `batch`. */
  endBatch(batch: number): void {
    this.throwIfFailed();
    this.queue.push({ batch, chunk: null });
    this.wake();
  }

  /** Resolves once `batch` (and every batch before it) is committed; rejects if the lane failed. */
  committed(batch: number): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.committedBatch >= batch) return Promise.resolve();
    return new Promise((resolve, reject) => this.commitWaiters.push({ batch, resolve, reject }));
  }

  /** No more batches: resolves when everything queued is committed. */
  async finish(): Promise<void> {
    this.closed = true;
    this.wake();
    await this.running;
  }

  /** Stops the lane: the COPY in progress is aborted (PostgreSQL rolls that batch back). */
  abort(reason: Error): void {
    this.fail(reason);
  }

  private async run(): Promise<void> {
    try {
      for (;;) {
        const item = await this.next();
        if (item === null) return;
        if (item.chunk !== null) {
          const stream = this.stream ?? this.open();
          const ok = stream.write(item.chunk);
          this.queuedBytes -= item.chunk.length;
          this.releaseSpace();
          if (!ok) await this.unlessFailed(once(stream, 'drain'));
        } else {
          if (this.parent) await this.unlessFailed(this.parent.committed(item.batch));
          this.throwIfFailed();
          const stream = this.stream;
          if (stream) {
            const finished = once(stream, 'finish');
            stream.end();
            await this.unlessFailed(finished);
            this.stream = null;
            this.rowsCommitted += stream.rowCount;
          }
          this.committedBatch = item.batch;
          this.settleCommitted();
        }
        this.throwIfFailed();
      }
    } catch (error) {
      this.fail(error as Error);
      throw error;
    }
  }

  private open(): CopyStreamQuery {
    const stream = this.client.query(copyFrom(copyStatement(this.table)));
    // A server-side error (a violated constraint, a dropped connection) fails the whole lane.
    stream.on('error', (error: Error) => this.fail(new Error(`COPY into ${this.table} failed: ${error.message}`, { cause: error })));
    this.stream = stream;
    return stream;
  }

  private unlessFailed<T>(promise: Promise<T>): Promise<T> {
    return Promise.race([promise, this.failed]);
  }

  private async next(): Promise<Item | null> {
    for (;;) {
      this.throwIfFailed();
      const item = this.queue.shift();
      if (item) return item;
      if (this.closed) return null;
      await new Promise<void>((resolve) => (this.wakeRunner = resolve));
    }
  }

  private wake(): void {
    const wake = this.wakeRunner;
    this.wakeRunner = null;
    wake?.();
  }

  private releaseSpace(): void {
    if (this.queuedBytes > this.highWaterBytes) return;
    const waiters = this.spaceWaiters;
    this.spaceWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private settleCommitted(): void {
    const pending = [];
    for (const w of this.commitWaiters) {
      if (w.batch <= this.committedBatch) w.resolve();
      else pending.push(w);
    }
    this.commitWaiters = pending;
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    this.rejectFailed(error);
    // destroy() sends CopyFail, so the batch in flight is rolled back rather than half-committed.
    if (this.stream && !this.stream.destroyed) this.stream.destroy(error);
    for (const w of this.commitWaiters) w.reject(error);
    this.commitWaiters = [];
    const waiters = this.spaceWaiters;
    this.spaceWaiters = [];
    for (const resolve of waiters) resolve();
    this.wake();
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure;
  }
}

/** One COPY of a whole (small) table's text, e.g. the merchants. */
export async function copyAll(client: Client, table: TableName, text: Buffer): Promise<number> {
  const stream = client.query(copyFrom(copyStatement(table)));
  const done = once(stream, 'finish');
  stream.end(text);
  await done;
  return stream.rowCount;
}
