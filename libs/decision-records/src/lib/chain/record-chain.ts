import { randomBytes } from 'node:crypto';
import { sealRecord } from '../record/canonical-record';
import { GENESIS_HASH, type DecisionDraft, type SealedRecord } from '../record/decision-record';

/** What an instance id may look like (checked where batches are decoded). */
export const INSTANCE_ID = /^[a-z][a-z0-9-]{0,39}:[0-9]{8}T[0-9]{6}Z:[0-9a-f]{12}$/;

/**
 * A new id for one serving process: `<service>:<start, UTC>:<48 random bits>`, e.g.
 * `rest-gateway:20261201T101500Z:4f3a9c1b2d7e`. Unique per process start, so a restarted instance starts a
 * new chain rather than continuing (or forking) the old one.
 */
export function newInstanceId(service: string, now: Date = new Date()): string {
  const start = now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const id = `${service.toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 40)}:${start}:${randomBytes(6).toString('hex')}`;
  if (!INSTANCE_ID.test(id)) throw new RangeError(`newInstanceId: "${service}" does not make a valid instance id`);
  return id;
}

/**
 * One serving instance's numbering and hash chain. `take` numbers each served decision (1, 2, 3, ...) in
 * serving order; `seal` turns a numbered draft into its record, carrying the number and hash of the
 * previous record sealed, and must see the numbers in increasing order. A number taken and never sealed
 * (a dropped record) leaves a gap the next record declares: its `previousSequence` skips it, so `verify`
 * can tell a record the instance dropped from one that went missing after it was published.
 */
export class RecordChain {
  #next = 1;
  #lastSequence = 0;
  #lastHash = GENESIS_HASH;

  constructor(readonly instanceId: string) {}

  /** The next sequence number. */
  take(): number {
    return this.#next++;
  }

  /** The highest number taken so far (0 before the first). */
  get assignedThrough(): number {
    return this.#next - 1;
  }

  /** The last sealed record's number and hash. */
  get head(): { readonly sequence: number; readonly hash: string } {
    return { sequence: this.#lastSequence, hash: this.#lastHash };
  }

  seal(draft: DecisionDraft, sequence: number): SealedRecord {
    if (!(sequence > this.#lastSequence && sequence < this.#next)) throw new RangeError(`RecordChain.seal: sequence ${sequence} is out of order (last sealed ${this.#lastSequence}, next ${this.#next})`);
    const sealed = sealRecord(draft, { instanceId: this.instanceId, sequence, previousSequence: this.#lastSequence, previousHash: this.#lastHash });
    this.#lastSequence = sequence;
    this.#lastHash = sealed.hash;
    return sealed;
  }
}
