import type { EntityFeatureRow, FeatureRow, SourceFeatureReader } from '@bnpl/feature-definitions';

/**
 * A SourceFeatureReader for unit tests of the read path: rows by (view, id), a call log, a switch to make
 * it fail like a lost connection, and an optional gate that holds calls until released.
 */
export class FakeSourceFeatureReader implements SourceFeatureReader {
  readonly rows = new Map<string, FeatureRow>();
  readonly calls: Array<{ view: string; ids: string[]; asOf: Date }> = [];
  /** When true, `readView` rejects with a driver-like error. */
  down = false;
  /** When set, `readView` waits for it before answering. */
  gate: Promise<void> | null = null;

  put(view: string, id: string, row: FeatureRow): void {
    this.rows.set(`${view}|${id}`, row);
  }

  async readView(viewName: string, entityIds: readonly string[], asOf: Date): Promise<Array<FeatureRow | null>> {
    this.calls.push({ view: viewName, ids: [...entityIds], asOf });
    if (this.gate) await this.gate;
    if (this.down) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    return entityIds.map((id) => this.rows.get(`${viewName}|${id}`) ?? null);
  }

  async readViewRange(): Promise<EntityFeatureRow[]> {
    throw new Error('not used by the read path');
  }
}
