import { computeRequestFeatures, parseFeatureRef, type Catalog, type FeatureValue, type FeatureView, type RequestFeatureView } from '@bnpl/feature-definitions';
import type { EntityRowInput, HistoricalFeatureValue, HistoricalFeaturesRequest, HistoricalFeaturesResult } from '@bnpl/offline-store';
import type { FeatureStatus } from '@bnpl/serving';
import type { DecisionRecord, ServedValue } from '../record/decision-record';
import { definitionFingerprints } from '../record/definition-fingerprint';

/** The offline store's point-in-time retrieval: all a replay needs of it. */
export interface ReplayHistory {
  getHistoricalFeatures(request: HistoricalFeaturesRequest): Promise<HistoricalFeaturesResult>;
}

/** A value as served or as recomputed. */
export interface ReplayedValue {
  readonly value: FeatureValue;
  readonly status: FeatureStatus;
  readonly eventTime: Date | null;
}

/**
 * One feature of one row:
 * - `equal`: the history gives what was served (for a STALE value on both sides: the same stale row,
 *   since the offline store answers a stale row with the default);
 * - `differs`: it gives something else: training/serving skew, shown with both values;
 * - `not_replayable`: the history cannot say (no row of the view at or before the instant while one was
 *   served, a feature no longer in the catalog, a request-time feature reading one of those).
 */
export type FeatureReplay =
  | { readonly feature: string; readonly verdict: 'equal'; readonly served: ReplayedValue }
  | { readonly feature: string; readonly verdict: 'differs'; readonly served: ReplayedValue; readonly replayed: ReplayedValue }
  | { readonly feature: string; readonly verdict: 'not_replayable'; readonly served: ReplayedValue; readonly reason: string };

export type ReplayVerdict = FeatureReplay['verdict'];

export interface RowReplay {
  readonly entityRow: Readonly<Record<string, string>>;
  readonly features: readonly FeatureReplay[];
}

/**
 * A decision replayed: `equal` when every feature is equal, `differs` when any differs, `not_replayable`
 * when none can be replayed (older than the history, typically), `partial` when some cannot and the rest
 * are equal.
 */
export interface DecisionReplay {
  readonly decisionId: string;
  readonly servedAt: Date;
  readonly verdict: 'equal' | 'differs' | 'not_replayable' | 'partial';
  readonly equal: number;
  readonly differs: number;
  readonly notReplayable: number;
  /** Views whose definition changed since the decision (their fingerprints differ): a reason for skew. */
  readonly changedDefinitions: readonly string[];
  readonly rows: readonly RowReplay[];
}

const view = (e: { value: FeatureValue; status: FeatureStatus; eventTime: Date | null }): ReplayedValue => ({ value: e.value, status: e.status, eventTime: e.eventTime });
const servedView = (s: ServedValue): ReplayedValue => view(s);

/** The stored features a record served that the catalog still knows, by ref. */
function storedFeatures(catalog: Catalog, record: DecisionRecord): Map<string, FeatureView> {
  const views = new Map(catalog.views.map((v) => [v.name, v]));
  const out = new Map<string, FeatureView>();
  const add = (ref: string) => {
    const parsed = safeParse(ref);
    const v = parsed && views.get(parsed.view);
    if (v && v.features.some((f) => f.name === parsed.feature)) out.set(ref, v);
  };
  for (const ref of record.featureNames) add(ref);
  // Request-time features read stored ones, maybe not served themselves.
  for (const ref of record.featureNames) {
    const feature = safeParse(ref)?.feature;
    for (const read of requestViewOf(catalog, ref)?.features.find((f) => f.name === feature)?.reads ?? []) add(read);
  }
  return out;
}

function safeParse(ref: string): { view: string; feature: string } | null {
  const parsed = parseFeatureRef(ref);
  return parsed && parsed.feature !== '*' ? { view: parsed.view, feature: parsed.feature } : null;
}

function requestViewOf(catalog: Catalog, ref: string): RequestFeatureView | undefined {
  const parsed = safeParse(ref);
  return parsed ? catalog.requestViews.find((v) => v.name === parsed.view && v.features.some((f) => f.name === parsed.feature)) : undefined;
}

/** A point-in-time request for several records at once: entity rows deduplicated by (ids, instant). */
export interface ReplayPlan {
  readonly request: HistoricalFeaturesRequest | null;
  /** Per record, per row: the index of its entity row in the request. */
  readonly rowIndex: ReadonlyArray<readonly number[]>;
  /** Per record: its stored features (ref -> view). */
  readonly stored: ReadonlyArray<ReadonlyMap<string, FeatureView>>;
}

/** Plans one retrieval covering `records`: each row read as of its decision's instant. */
export function planReplay(catalog: Catalog, records: readonly DecisionRecord[]): ReplayPlan {
  const stored = records.map((r) => storedFeatures(catalog, r));
  const features = [...new Set(stored.flatMap((m) => [...m.keys()]))];
  const joinKeys = [...new Set(stored.flatMap((m) => [...m.values()].map((v) => v.entity.joinKey)))].sort();
  const entityRows: EntityRowInput[] = [];
  const index = new Map<string, number>();
  const rowIndex = records.map((r) =>
    r.rows.map((row) => {
      const ids = joinKeys.map((k) => row.entityRow[k] ?? '');
      const key = `${ids.join('\0')}\0${r.servedAt.getTime()}`;
      let i = index.get(key);
      if (i === undefined) {
        i = entityRows.length;
        index.set(key, i);
        const entityRow: Record<string, string | Date> = { event_timestamp: r.servedAt };
        joinKeys.forEach((k, j) => {
          // A row without an id for a key asks nothing of that key's views: any valid id stands in.
          entityRow[k] = ids[j] === '' ? '1' : ids[j];
        });
        entityRows.push(entityRow as EntityRowInput);
      }
      return i;
    }),
  );
  return { request: features.length > 0 ? { entityRows, features, output: { kind: 'memory' } } : null, rowIndex, stored };
}

function valuesEqual(a: FeatureValue, b: FeatureValue): boolean {
  if (typeof a === 'object' && typeof b === 'object') return a.amountMinor === b.amountMinor && a.currency === b.currency;
  return Object.is(a, b) || a === b;
}

function compareStored(feature: string, served: ServedValue, history: HistoricalFeatureValue, v: FeatureView, at: Date): FeatureReplay {
  const s = servedView(served);
  if (history.status === 'MISSING' && served.status !== 'MISSING') {
    return { feature, verdict: 'not_replayable', served: s, reason: `the offline history of ${v.name} has no row for this entity at or before ${at.toISOString()}` };
  }
  const replayed = view(history);
  const same =
    history.status === served.status &&
    (served.status === 'STALE' ? history.eventTime?.getTime() === served.eventTime?.getTime() : valuesEqual(history.value, served.value));
  return same ? { feature, verdict: 'equal', served: s } : { feature, verdict: 'differs', served: s, replayed };
}

/**
 * Compares each record with its retrieval: stored features one by one; request-time features recomputed
 * from the record's request inputs and the replayed stored values they read.
 */
export function compareReplay(catalog: Catalog, records: readonly DecisionRecord[], plan: ReplayPlan, result: HistoricalFeaturesResult | null): DecisionReplay[] {
  const position = new Map((result?.featureNames ?? []).map((f, i) => [f, i]));
  const current = definitionFingerprints(catalog, [...catalog.views.map((v) => v.name), ...catalog.requestViews.map((v) => v.name)]);
  return records.map((record, r) => {
    const stored = plan.stored[r];
    const rows = record.rows.map((row, i): RowReplay => {
      const historical = result?.rows?.[plan.rowIndex[r][i]];
      const replayedStored = new Map<string, FeatureReplay>();
      const valueOf = (ref: string): HistoricalFeatureValue | undefined => {
        const p = position.get(ref);
        return p === undefined ? undefined : historical?.features[p];
      };
      const storedReplay = (ref: string, served: ServedValue): FeatureReplay => {
        const v = stored.get(ref);
        const h = valueOf(ref);
        if (!v || !h) return { feature: ref, verdict: 'not_replayable', served: servedView(served), reason: `${ref} is no longer in the catalog` };
        return compareStored(ref, served, h, v, record.servedAt);
      };
      // Stored features first: request-time ones read them, wherever they stand in the answer.
      record.featureNames.forEach((ref, j) => {
        if (!requestViewOf(catalog, ref)) replayedStored.set(ref, storedReplay(ref, row.values[j]));
      });
      const features = record.featureNames.map((ref, j): FeatureReplay => {
        const served = row.values[j];
        const requestView = requestViewOf(catalog, ref);
        if (!requestView) return replayedStored.get(ref) as FeatureReplay;
        const definition = requestView.features.find((f) => f.name === (safeParse(ref) as { feature: string }).feature);
        if (!definition) return { feature: ref, verdict: 'not_replayable', served: servedView(served), reason: `${ref} is no longer in the catalog` };
        const inputs: Record<string, FeatureValue> = {};
        for (const read of definition.reads) {
          const h = valueOf(read);
          if (!h || replayedStored.get(read)?.verdict === 'not_replayable') return { feature: ref, verdict: 'not_replayable', served: servedView(served), reason: `it reads ${read}, which the history cannot give` };
          inputs[read] = h.value;
        }
        const value = computeRequestFeatures(requestView, record.requestContext, inputs, [definition.name])[definition.name] ?? null;
        const replayed: ReplayedValue = value === null ? { value: definition.default, status: 'DEFAULT', eventTime: record.servedAt } : { value, status: 'PRESENT', eventTime: record.servedAt };
        const same = replayed.status === served.status && valuesEqual(replayed.value, served.value);
        return same ? { feature: ref, verdict: 'equal', served: servedView(served) } : { feature: ref, verdict: 'differs', served: servedView(served), replayed };
      });
      return { entityRow: row.entityRow, features };
    });
    const all = rows.flatMap((row) => row.features);
    const count = (v: ReplayVerdict) => all.filter((f) => f.verdict === v).length;
    const [equal, differs, notReplayable] = [count('equal'), count('differs'), count('not_replayable')];
    const verdict = differs > 0 ? 'differs' : notReplayable === 0 ? 'equal' : equal === 0 ? 'not_replayable' : 'partial';
    const changedDefinitions = Object.entries(record.definitions)
      .filter(([name, fingerprint]) => current[name] !== undefined && current[name] !== fingerprint)
      .map(([name]) => name)
      .sort();
    return { decisionId: record.decisionId, servedAt: record.servedAt, verdict, equal, differs, notReplayable, changedDefinitions, rows };
  });
}

/** Replays records against the history in one retrieval. */
export async function replayRecords(catalog: Catalog, history: ReplayHistory, records: readonly DecisionRecord[]): Promise<DecisionReplay[]> {
  const plan = planReplay(catalog, records);
  const result = plan.request ? await history.getHistoricalFeatures(plan.request) : null;
  return compareReplay(catalog, records, plan, result);
}
