import { decodeRecordBody, hashBody } from '../record/canonical-record';
import type { DecisionRecord, SealedRecord } from '../record/decision-record';
import type { DecisionStore } from '../store/decision-store.port';

/**
 * Numbers an instance gave that have no record:
 * - `missing`: published (a later record declares it as its predecessor, or a batch carried it) yet not in
 *   the store: deleted, or lost between the broker and the store;
 * - `dropped`: skipped by the instance itself (policy `drop`, the buffer full): the next record declares
 *   the skip, so no record ever existed;
 * - `unpublished`: numbered, never published: the instance died holding them (SIGKILL, crash).
 */
export type GapKind = 'missing' | 'dropped' | 'unpublished';

export interface ChainGap {
  readonly instanceId: string;
  readonly from: number;
  readonly to: number;
  readonly kind: GapKind;
}

/**
 * A record that is not what its instance sealed:
 * - `edited`: its body does not match its hash, does not read back, or disagrees with the store's columns;
 * - `broken-link`: its previous hash is not its predecessor's hash (one of the two was changed, or the
 *   predecessor was replaced).
 */
export interface ChainProblem {
  readonly decisionId: string;
  readonly instanceId: string;
  readonly sequence: number;
  readonly problem: 'edited' | 'broken-link';
  readonly detail: string;
}

export interface InstanceSummary {
  readonly instanceId: string;
  readonly firstSequence: number;
  readonly lastSequence: number;
  readonly records: number;
  /** It sent its closing batch. */
  readonly closed: boolean;
  /** The last batch it sent, if known. */
  readonly lastBatchAt: Date | null;
}

export interface VerifyReport {
  readonly from: Date;
  readonly to: Date;
  readonly records: number;
  readonly instances: readonly InstanceSummary[];
  /** Up to `maxListed`; the counts below are complete. */
  readonly gaps: readonly ChainGap[];
  readonly missing: number;
  readonly dropped: number;
  readonly unpublished: number;
  readonly problems: readonly ChainProblem[];
  readonly edited: number;
  readonly brokenLinks: number;
  /** Every number given in the range has its record. */
  readonly complete: boolean;
  /** No record was edited or unlinked. */
  readonly untouched: boolean;
  readonly notes: readonly string[];
}

export interface VerifyOptions {
  /** Served in [from, to). */
  readonly from: Date;
  readonly to: Date;
  /** Where retention cut the history: a chain whose predecessor is older is not reported as a gap. */
  readonly retainedSince?: Date;
  /** Most gaps and problems listed (counts are always complete); default 1,000. */
  readonly maxListed?: number;
  readonly pageSize?: number;
}

interface InstanceState {
  readonly instanceId: string;
  first: SealedRecord;
  last: SealedRecord;
  records: number;
}

/**
 * Proves a range of decision records complete and untouched, reading it once in (instance, sequence)
 * order. For each record: the body's SHA-256 is its hash, the body reads back and agrees with the
 * columns the store keeps beside it, and its previous hash is the hash of the record it names as its
 * predecessor. For each instance: every number from the first record's predecessor to the last number its
 * batches reported was recorded, or the gap is reported with its kind (see GapKind). The first record of
 * an instance in the range is linked to its predecessor from before the range; a chain that continues
 * after the range is checked when that range is verified.
 *
 * What it cannot see: decisions an instance numbered after its last batch left and before it died (no
 * batch reported them): at most one flush interval's worth (`maxBatchAgeMs`), noted for every instance
 * that did not close.
 */
export async function verifyDecisions(store: DecisionStore, options: VerifyOptions): Promise<VerifyReport> {
  const maxListed = options.maxListed ?? 1_000;
  const gaps: ChainGap[] = [];
  const problems: ChainProblem[] = [];
  const instances: InstanceSummary[] = [];
  const notes: string[] = [];
  const counts = { records: 0, missing: 0, dropped: 0, unpublished: 0, edited: 0, brokenLinks: 0 };

  const gap = (instanceId: string, from: number, to: number, kind: GapKind) => {
    if (to < from) return;
    counts[kind] += to - from + 1;
    if (gaps.length < maxListed) gaps.push({ instanceId, from, to, kind });
  };
  const problem = (r: SealedRecord, kind: ChainProblem['problem'], detail: string) => {
    counts[kind === 'edited' ? 'edited' : 'brokenLinks']++;
    if (problems.length < maxListed) problems.push({ decisionId: r.decisionId, instanceId: r.instanceId, sequence: r.sequence, problem: kind, detail });
  };
  const link = (r: SealedRecord, predecessor: SealedRecord) => {
    if (r.previousHash !== predecessor.hash) problem(r, 'broken-link', `its previous hash is not the hash of record ${predecessor.sequence} (decision ${predecessor.decisionId})`);
  };

  let current: InstanceState | null = null;
  const finish = async (state: InstanceState) => {
    const [last, marks] = await Promise.all([store.lastSequences([state.instanceId]), store.instanceMarks([state.instanceId])]);
    const mark = marks.get(state.instanceId);
    // Records after the range continue the chain: their own range checks them.
    if ((last.get(state.instanceId) ?? 0) <= state.last.sequence && mark) {
      gap(state.instanceId, state.last.sequence + 1, mark.publishedThrough, 'missing');
      gap(state.instanceId, Math.max(state.last.sequence, mark.publishedThrough) + 1, mark.assignedThrough, 'unpublished');
      if (!mark.closedAt) {
        notes.push(
          `${state.instanceId} did not close: it is still serving, or it stopped without a clean shutdown after its last batch at ${mark.lastBatchAt.toISOString()}; ` +
            'decisions it numbered after that batch left are in no batch and cannot be counted (at most one flush interval).',
        );
      }
    }
    instances.push({ instanceId: state.instanceId, firstSequence: state.first.sequence, lastSequence: state.last.sequence, records: state.records, closed: Boolean(mark?.closedAt), lastBatchAt: mark?.lastBatchAt ?? null });
  };

  for await (const page of store.scan(options.from, options.to, options.pageSize)) {
    for (const r of page) {
      counts.records++;
      checkRecord(r, problem);
      if (current && current.instanceId !== r.instanceId) {
        await finish(current);
        current = null;
      }
      if (!current) {
        // The first record of this instance in the range: link it to its predecessor from before the range.
        if (r.previousSequence > 0) {
          const predecessor = await store.recordAt(r.instanceId, r.previousSequence);
          if (predecessor) link(r, predecessor);
          else if (options.retainedSince && options.from.getTime() < options.retainedSince.getTime() + 86_400_000) {
            notes.push(`${r.instanceId}: the chain begins before the retained history (record ${r.previousSequence} was served before ${options.retainedSince.toISOString()} and deleted by retention).`);
          } else gap(r.instanceId, r.previousSequence, r.previousSequence, 'missing');
        }
        current = { instanceId: r.instanceId, first: r, last: r, records: 1 };
      } else {
        const last = current.last;
        if (r.previousSequence > last.sequence) gap(r.instanceId, last.sequence + 1, r.previousSequence, 'missing');
        else if (r.previousSequence === last.sequence) link(r, last);
        else problem(r, 'broken-link', `it names record ${r.previousSequence} as its predecessor, but record ${last.sequence} comes before it`);
        current.last = r;
        current.records++;
      }
      gap(r.instanceId, r.previousSequence + 1, r.sequence - 1, 'dropped');
    }
  }
  if (current) await finish(current);

  return {
    from: options.from,
    to: options.to,
    records: counts.records,
    instances,
    gaps,
    missing: counts.missing,
    dropped: counts.dropped,
    unpublished: counts.unpublished,
    problems,
    edited: counts.edited,
    brokenLinks: counts.brokenLinks,
    complete: counts.missing + counts.dropped + counts.unpublished === 0,
    untouched: counts.edited + counts.brokenLinks === 0,
    notes,
  };
}

/** The record's own checks: hash, readable body, columns equal to the body's fields. */
function checkRecord(r: SealedRecord, problem: (r: SealedRecord, kind: 'edited', detail: string) => void): void {
  if (hashBody(r.body) !== r.hash) return problem(r, 'edited', 'its body does not match its hash');
  let body: DecisionRecord;
  try {
    body = decodeRecordBody(r.body);
  } catch (error) {
    return problem(r, 'edited', (error as Error).message);
  }
  const columns: Array<[string, unknown, unknown]> = [
    ['decision_id', r.decisionId, body.decisionId],
    ['instance_id', r.instanceId, body.instanceId],
    ['sequence', r.sequence, body.sequence],
    ['previous_sequence', r.previousSequence, body.previousSequence],
    ['previous_hash', r.previousHash, body.previousHash],
    ['served_at', r.servedAt.getTime(), body.servedAt.getTime()],
    ['customer_id', r.customerId, body.rows[0]?.entityRow['customer_id'] ?? null],
  ];
  const differs = columns.find(([, column, signed]) => column !== signed);
  if (differs) problem(r, 'edited', `its ${differs[0]} column differs from the signed body`);
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The UTC day `YYYY-MM-DD` as [start, next start), or null when it is not one. */
export function utcDayRange(day: string): { from: Date; to: Date } | null {
  const m = DAY.exec(day);
  if (!m) return null;
  const from = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (Number.isNaN(from.getTime()) || from.toISOString().slice(0, 10) !== day) return null;
  return { from, to: new Date(from.getTime() + 86_400_000) };
}
