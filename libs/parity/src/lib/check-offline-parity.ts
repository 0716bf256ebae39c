import type { Catalog, SourceFeatureReader } from '@bnpl/feature-definitions';
import { MAX_LATEST_ROWS_IDS, type OfflineStore } from '@bnpl/offline-store';
import type { EntityKey, OnlineStore, StoredView } from '@bnpl/online-store';
import { runParity, type ParityOptions, type ParityReport } from './check-parity';

export interface OfflineParityDeps {
  readonly catalog: Catalog;
  readonly source: SourceFeatureReader;
  readonly offline: Pick<OfflineStore, 'readLatestRows'>;
  readonly now?: () => Date;
}

/** The offline history's latest row per entity and view, read as the parity check reads a store. */
function latestRowsOf(offline: OfflineParityDeps['offline']): Pick<OnlineStore, 'read'> {
  return {
    async read(keys: readonly EntityKey[], views: readonly string[]): Promise<Array<Array<StoredView | null>>> {
      const ids = keys.map((k) => k.id);
      const perView = await Promise.all(
        views.map(async (view) => {
          const rows = [];
          for (let i = 0; i < ids.length; i += MAX_LATEST_ROWS_IDS) rows.push(...(await offline.readLatestRows(view, ids.slice(i, i + MAX_LATEST_ROWS_IDS))));
          return rows;
        }),
      );
      return keys.map((_, k) => views.map((_, v) => perView[v][k]));
    },
  };
}

/**
 * The parity check of the offline store: each entity's latest history row per view against the source,
 * exactly as `checkParity` compares the online store (as of the row's own event date, feature by feature):
 * the history's latest rows are what a training set built now would read, so a change the history missed
 * (a delete, the other side of a move, a write without a timestamp) shows as a mismatch. After a backfill
 * alone, the latest rows are past days' and say nothing about today: check after a materialization or
 * while the stream writes the history.
 */
export function checkOfflineParity(deps: OfflineParityDeps, options: ParityOptions): Promise<ParityReport> {
  return runParity({ catalog: deps.catalog, source: deps.source, online: latestRowsOf(deps.offline), ...(deps.now ? { now: deps.now } : {}) }, options, 'offline');
}
