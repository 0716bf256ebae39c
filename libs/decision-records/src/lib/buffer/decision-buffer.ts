import { exponentialBackoff, type BackoffSchedule } from '@bnpl/feature-definitions';
import { RecordChain } from '../chain/record-chain';
import { DecisionBacklogFullError } from '../errors/decision-backlog-full.error';
import type { DecisionDraft, SealedRecord } from '../record/decision-record';
import type { DecisionBatch, DecisionPublisher } from './decision-batch';

/**
 * What an instance does with a decision it cannot buffer (messaging down or slower than the traffic):
 * - `reject`: refuse to answer (DecisionBacklogFullError, 503 / UNAVAILABLE): no decision is ever served
 *   unrecorded; the risk engine retries elsewhere or declines.
 * - `drop`: answer, and count the record as lost; its number is skipped, so `verify` shows the gap.
 */
export type BacklogPolicy = 'reject' | 'drop';
export const BACKLOG_POLICIES: readonly BacklogPolicy[] = ['reject', 'drop'];

export interface DecisionBufferOptions {
  readonly policy: BacklogPolicy;
  /** A batch leaves when it holds this many records (default 500) ... */
  readonly maxBatchRecords?: number;
  /** ... or this many bytes of record bodies (default 4 MiB; a Pub/Sub message holds at most 10 MB) ... */
  readonly maxBatchBytes?: number;
  /** ... or when its oldest record is this old, in ms (default 100): what an instance killed loses at most. */
  readonly maxBatchAgeMs?: number;
  /** Records held (unsealed, sealed, in flight) before the policy applies (default 20,000). */
  readonly maxPendingRecords?: number;
  /** Estimated bytes held before the policy applies (default 256 MiB): a few huge batch reads count as many. */
  readonly maxPendingBytes?: number;
  /** Batches being published at once (default 2). */
  readonly maxPublishesInFlight?: number;
  /** Waits between failed publishes (default 100 ms doubling to 5 s). */
  readonly retry?: { readonly initialMs: number; readonly maxMs: number };
  /** Called with each record's draft as it is sealed, off the request's path: business metrics. */
  readonly observe?: (draft: DecisionDraft) => void;
  readonly clock?: () => number;
  readonly logger?: { warn(message: string, fields?: Record<string, unknown>): void; log(message: string, fields?: Record<string, unknown>): void };
}

/** Counters since start, and what is held now. */
export interface DecisionBufferStats {
  /** Decisions numbered and kept for publishing. */
  readonly recorded: number;
  /** Decisions answered without a record (policy `drop`). */
  readonly dropped: number;
  /** Decisions refused (policy `reject`). */
  readonly rejected: number;
  /** Records the broker accepted. */
  readonly published: number;
  readonly batchesPublished: number;
  readonly publishFailures: number;
  /** Records held now (not yet accepted by the broker). */
  readonly pending: number;
  /** Age of the oldest held record, ms (0 when none). */
  readonly oldestPendingMs: number;
  readonly assignedThrough: number;
}

interface Numbered {
  readonly draft: DecisionDraft;
  readonly sequence: number;
  readonly at: number;
  readonly bytes: number;
}

/** Records sealed per macrotask: sealing (JSON + SHA-256, tens of µs each) is spread out in short slices, so answers waiting behind it are not held up. */
const SEAL_SLICE = 16;

/** A rough size of a record's body, to bound memory before the body exists. */
function estimatedBytes(draft: DecisionDraft): number {
  let values = 0;
  for (const row of draft.rows) values += row.values.length;
  return 600 + values * 64;
}

/**
 * The per-instance buffer between the read path and messaging. `record` numbers a served decision and
 * returns at once; the rest happens off the request's path: records are sealed (canonical body, SHA-256,
 * chained) a slice at a time on later turns of the event loop, grouped into batches by size, bytes and age,
 * and published with at most `maxPublishesInFlight` in flight. A failed publish is retried, the same
 * sealed batch, with backoff, before anything newer; meanwhile records accumulate up to the pending bounds,
 * beyond which the policy decides (see BacklogPolicy).
 *
 * Loss bounds (README, "Decision records"): a SIGKILLed instance loses what it held: with messaging up,
 * the records of at most the last `maxBatchAgeMs` plus the batches in flight; during a messaging outage,
 * up to `maxPendingRecords`. `close()` publishes everything held and a closing batch.
 */
export class DecisionBuffer {
  readonly #chain: RecordChain;
  readonly #publisher: DecisionPublisher;
  readonly #policy: BacklogPolicy;
  readonly #maxBatchRecords: number;
  readonly #maxBatchBytes: number;
  readonly #maxBatchAgeMs: number;
  readonly #maxPendingRecords: number;
  readonly #maxPendingBytes: number;
  readonly #maxInFlight: number;
  readonly #backoff: BackoffSchedule;
  readonly #clock: () => number;
  readonly #observe: ((draft: DecisionDraft) => void) | undefined;
  readonly #logger: NonNullable<DecisionBufferOptions['logger']> | undefined;

  /** Numbered, not yet sealed. */
  #unsealed: Numbered[] = [];
  /** Sealed, not yet in a batch. */
  #sealed: SealedRecord[] = [];
  #sealedBytes = 0;
  #oldestSealedAt = 0;
  /** Batches waiting to be (re)published, oldest first. */
  readonly #ready: DecisionBatch[] = [];
  #inFlight = 0;
  #pending = 0;
  #pendingBytes = 0;
  /** When each held record was numbered, oldest first, for the oldest-age stat (approximate while batches complete out of order). */
  readonly #heldSince: number[] = [];
  #sealScheduled = false;
  #ageTimer: NodeJS.Timeout | null = null;
  #retryTimer: NodeJS.Timeout | null = null;
  #failuresInARow = 0;
  /** Failed publishes so far: a publish that started before the latest one and then succeeded is published again. */
  #failureEpoch = 0;
  #closing = false;
  #idle: Array<() => void> = [];
  readonly #stats = { recorded: 0, dropped: 0, rejected: 0, published: 0, batchesPublished: 0, publishFailures: 0 };

  constructor(instanceId: string, publisher: DecisionPublisher, options: DecisionBufferOptions) {
    this.#chain = new RecordChain(instanceId);
    this.#publisher = publisher;
    this.#policy = options.policy;
    this.#maxBatchRecords = positive(options.maxBatchRecords ?? 500, 'maxBatchRecords');
    this.#maxBatchBytes = positive(options.maxBatchBytes ?? 4 * 1024 * 1024, 'maxBatchBytes');
    this.#maxBatchAgeMs = positive(options.maxBatchAgeMs ?? 100, 'maxBatchAgeMs');
    this.#maxPendingRecords = positive(options.maxPendingRecords ?? 20_000, 'maxPendingRecords');
    this.#maxPendingBytes = positive(options.maxPendingBytes ?? 256 * 1024 * 1024, 'maxPendingBytes');
    this.#maxInFlight = positive(options.maxPublishesInFlight ?? 2, 'maxPublishesInFlight');
    this.#backoff = exponentialBackoff(options.retry ?? { initialMs: 100, maxMs: 5_000 });
    this.#clock = options.clock ?? Date.now;
    this.#observe = options.observe;
    this.#logger = options.logger;
  }

  get instanceId(): string {
    return this.#chain.instanceId;
  }

  get policy(): BacklogPolicy {
    return this.#policy;
  }

  /**
   * Takes a served decision: numbers it and keeps it for publishing, or applies the policy when the buffer
   * is full (or closing): `reject` throws DecisionBacklogFullError before anything is numbered, `drop`
   * numbers it and lets it go. Synchronous and cheap: call it before the answer leaves.
   */
  record(draft: DecisionDraft): void {
    const bytes = estimatedBytes(draft);
    const full = this.#closing || this.#pending >= this.#maxPendingRecords || this.#pendingBytes + bytes > this.#maxPendingBytes;
    if (full) {
      if (this.#policy === 'reject') {
        this.#stats.rejected++;
        throw new DecisionBacklogFullError(this.#closing ? 'the instance is shutting down' : `${this.#pending} records wait for messaging on this instance`);
      }
      this.#stats.dropped++;
      // A number is taken all the same: the next record's previous_sequence skips it, and verify shows it.
      if (!this.#closing) this.#chain.take();
      return;
    }
    const now = this.#clock();
    const sequence = this.#chain.take();
    this.#unsealed.push({ draft, sequence, at: now, bytes });
    this.#heldSince.push(now);
    this.#pending++;
    this.#pendingBytes += bytes;
    this.#stats.recorded++;
    if (!this.#sealScheduled) {
      this.#sealScheduled = true;
      setImmediate(() => this.#sealSome());
    }
  }

  stats(): DecisionBufferStats {
    return {
      ...this.#stats,
      pending: this.#pending,
      oldestPendingMs: this.#heldSince.length > 0 ? Math.max(0, this.#clock() - this.#heldSince[0]) : 0,
      assignedThrough: this.#chain.assignedThrough,
    };
  }

  /**
   * Seals and publishes everything held, waiting at most `timeoutMs` (retrying failed publishes meanwhile),
   * then a closing batch. After it, `record` applies the policy to every decision. Resolves with the number
   * of records that could not be published.
   */
  async close(timeoutMs = 5_000): Promise<number> {
    if (this.#closing) return this.#pending;
    this.#closing = true;
    this.#sealAll();
    this.#batchSealed();
    this.#pump();
    const deadline = this.#clock() + timeoutMs;
    while (this.#pending > 0 && this.#clock() < deadline) await this.#waitIdle(Math.max(1, deadline - this.#clock()));
    const lost = this.#pending;
    if (lost === 0) {
      try {
        await this.#publisher.publish({ instanceId: this.instanceId, records: [], assignedThrough: this.#chain.assignedThrough, closed: true, sentAt: new Date(this.#clock()) });
      } catch (error) {
        this.#logger?.warn('Decision records: the closing batch could not be published', { error: String(error) });
      }
    } else {
      this.#logger?.warn(`Decision records: ${lost} records could not be published before shutdown`, { lost });
    }
    for (const timer of [this.#ageTimer, this.#retryTimer]) if (timer) clearTimeout(timer);
    return lost;
  }

  /** Resolves when nothing is held (tests, benchmarks). */
  async drained(timeoutMs = 10_000): Promise<boolean> {
    const deadline = this.#clock() + timeoutMs;
    while (this.#pending > 0 && this.#clock() < deadline) {
      this.#sealAll();
      this.#batchSealed();
      this.#pump();
      await this.#waitIdle(Math.min(50, Math.max(1, deadline - this.#clock())));
    }
    return this.#pending === 0;
  }

  #sealSome(): void {
    this.#sealScheduled = false;
    const slice = this.#unsealed.length <= SEAL_SLICE ? this.#unsealed : this.#unsealed.slice(0, SEAL_SLICE);
    this.#unsealed = slice === this.#unsealed ? [] : this.#unsealed.slice(SEAL_SLICE);
    for (const n of slice) this.#seal(n);
    if (this.#unsealed.length > 0) {
      this.#sealScheduled = true;
      setImmediate(() => this.#sealSome());
    }
    this.#batchWhenDue();
  }

  #sealAll(): void {
    const all = this.#unsealed;
    this.#unsealed = [];
    for (const n of all) this.#seal(n);
  }

  #seal(n: Numbered): void {
    const sealed = this.#chain.seal(n.draft, n.sequence);
    if (this.#observe) {
      try {
        this.#observe(n.draft);
      } catch (error) {
        this.#logger?.warn('Decision records: a metrics observer failed', { error: String(error) });
      }
    }
    if (this.#sealed.length === 0) this.#oldestSealedAt = n.at;
    this.#sealed.push(sealed);
    this.#sealedBytes += sealed.body.length;
    // Bytes were estimated at `record`; from here on the body's real size counts.
    this.#pendingBytes += sealed.body.length - n.bytes;
    if (this.#sealed.length >= this.#maxBatchRecords || this.#sealedBytes >= this.#maxBatchBytes) this.#batchSealed();
  }

  /** Batches the sealed records when the oldest is due (or arms the timer that will), then publishes. */
  #batchWhenDue(): void {
    if (this.#sealed.length > 0) {
      const age = this.#clock() - this.#oldestSealedAt;
      if (age >= this.#maxBatchAgeMs) this.#batchSealed();
      else if (!this.#ageTimer) {
        this.#ageTimer = setTimeout(() => {
          this.#ageTimer = null;
          this.#batchWhenDue();
        }, this.#maxBatchAgeMs - age);
        this.#ageTimer.unref();
      }
    }
    this.#pump();
  }

  #batchSealed(): void {
    if (this.#sealed.length === 0) return;
    this.#ready.push({ instanceId: this.instanceId, records: this.#sealed, assignedThrough: this.#chain.assignedThrough, closed: false, sentAt: new Date(this.#clock()) });
    this.#sealed = [];
    this.#sealedBytes = 0;
  }

  #pump(): void {
    while (this.#inFlight < this.#maxInFlight && this.#retryTimer === null && this.#ready.length > 0) {
      const batch = this.#ready.shift() as DecisionBatch;
      const epoch = this.#failureEpoch;
      this.#inFlight++;
      this.#publisher.publish({ ...batch, sentAt: new Date(this.#clock()) }).then(
        () => (epoch === this.#failureEpoch ? this.#published(batch) : this.#uncertain(batch)),
        (error: unknown) => this.#failed(batch, error),
      );
    }
  }

  #published(batch: DecisionBatch): void {
    this.#inFlight--;
    this.#failuresInARow = 0;
    const n = batch.records.length;
    this.#pending -= n;
    this.#heldSince.splice(0, n);
    for (const r of batch.records) this.#pendingBytes -= r.body.length;
    this.#stats.published += n;
    this.#stats.batchesPublished++;
    this.#pump();
    this.#wakeIdle();
  }

  /**
   * A publish that overlapped a failure of another and then succeeded may have landed where nothing keeps
   * it (a broker that came back empty takes a topic before its subscription exists): it is published again.
   * The sink stores each record once, so a second copy costs nothing but the message.
   */
  #uncertain(batch: DecisionBatch): void {
    this.#inFlight--;
    this.#ready.unshift(batch);
    this.#pump();
  }

  #failed(batch: DecisionBatch, error: unknown): void {
    this.#inFlight--;
    this.#failureEpoch++;
    this.#stats.publishFailures++;
    // Retried before anything newer: the same sealed records, so their hashes and numbers never change.
    this.#ready.unshift(batch);
    const wait = this.#backoff(Math.min(this.#failuresInARow++, 30));
    if (this.#failuresInARow === 1 || this.#failuresInARow % 20 === 0) {
      this.#logger?.warn('Decision records: publishing failed; holding records and retrying', { error: error instanceof Error ? error.message : String(error), pending: this.#pending, failures: this.#failuresInARow, retryInMs: wait });
    }
    if (this.#retryTimer === null) {
      this.#retryTimer = setTimeout(() => {
        this.#retryTimer = null;
        this.#pump();
      }, wait);
      this.#retryTimer.unref();
    }
    this.#wakeIdle();
  }

  #waitIdle(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#idle.push(done);
    });
  }

  #wakeIdle(): void {
    const waiting = this.#idle;
    this.#idle = [];
    for (const wake of waiting) wake();
  }
}

function positive(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`DecisionBuffer: ${name} must be a positive integer, got ${value}`);
  return value;
}
