import type { Catalog } from '@bnpl/feature-definitions';
import { InvalidDecisionQueryError } from '../errors/invalid-decision-query.error';
import { decodeRecordBody } from '../record/canonical-record';
import type { DecisionRecord } from '../record/decision-record';
import { replayRecords, type FeatureReplay, type ReplayHistory } from '../replay/replay';
import type { DecisionStore } from '../store/decision-store.port';
import { utcDayRange } from '../verify/verify-decisions';

/** Per feature over a day: how often the history agreed with what was served. */
export interface FeatureSkew {
  readonly feature: string;
  readonly equal: number;
  readonly differs: number;
  readonly notReplayable: number;
  /** differs / (equal + differs): the share of replayable values that changed; null when none was replayable. */
  readonly skewRate: number | null;
}

export interface DayReplayReport {
  readonly day: string;
  readonly decisions: number;
  readonly verdicts: { readonly equal: number; readonly differs: number; readonly partial: number; readonly notReplayable: number };
  readonly features: readonly FeatureSkew[];
  /** The first differences found, for a look (at most 20). */
  readonly examples: ReadonlyArray<{ readonly decisionId: string; readonly entityRow: Readonly<Record<string, string>>; readonly difference: Extract<FeatureReplay, { verdict: 'differs' }> }>;
  readonly seconds: number;
  readonly decisionsPerSecond: number;
}

export interface ReplayDayOptions {
  /** Decisions per point-in-time retrieval (default 1,000). */
  readonly chunkSize?: number;
  /** Called after each chunk (progress). */
  readonly onProgress?: (decisionsDone: number) => void;
}

/**
 * Replays every decision served on a UTC day against the offline history, a chunk at a time (one
 * point-in-time retrieval per chunk), and reports skew rates per feature: the batch job behind
 * `fs decisions replay --day`.
 */
export class ReplayDay {
  constructor(
    private readonly store: DecisionStore,
    private readonly history: ReplayHistory,
    private readonly catalog: Catalog,
  ) {}

  async execute(day: string, options: ReplayDayOptions = {}): Promise<DayReplayReport> {
    const range = utcDayRange(day);
    if (!range) throw new InvalidDecisionQueryError(`"day" must be a day as YYYY-MM-DD, got ${JSON.stringify(day).slice(0, 40)}`);
    const chunkSize = options.chunkSize ?? 1_000;
    const started = Date.now();
    const perFeature = new Map<string, { equal: number; differs: number; notReplayable: number }>();
    const verdicts = { equal: 0, differs: 0, partial: 0, notReplayable: 0 };
    const examples: Array<DayReplayReport['examples'][number]> = [];
    let decisions = 0;
    let chunk: DecisionRecord[] = [];
    const flush = async () => {
      if (chunk.length === 0) return;
      for (const replay of await replayRecords(this.catalog, this.history, chunk)) {
        verdicts[replay.verdict === 'not_replayable' ? 'notReplayable' : replay.verdict]++;
        for (const row of replay.rows) {
          for (const f of row.features) {
            const counts = perFeature.get(f.feature) ?? { equal: 0, differs: 0, notReplayable: 0 };
            counts[f.verdict === 'not_replayable' ? 'notReplayable' : f.verdict]++;
            perFeature.set(f.feature, counts);
            if (f.verdict === 'differs' && examples.length < 20) examples.push({ decisionId: replay.decisionId, entityRow: row.entityRow, difference: f });
          }
        }
      }
      decisions += chunk.length;
      chunk = [];
      options.onProgress?.(decisions);
    };
    for await (const page of this.store.scan(range.from, range.to)) {
      for (const sealed of page) {
        chunk.push(decodeRecordBody(sealed.body));
        if (chunk.length >= chunkSize) await flush();
      }
    }
    await flush();
    const seconds = (Date.now() - started) / 1000;
    return {
      day,
      decisions,
      verdicts,
      features: [...perFeature].map(([feature, c]) => ({ feature, ...c, skewRate: c.equal + c.differs === 0 ? null : c.differs / (c.equal + c.differs) })),
      examples,
      seconds,
      decisionsPerSecond: seconds > 0 ? decisions / seconds : decisions,
    };
  }
}
