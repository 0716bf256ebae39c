import type { SourceDatabase } from '@bnpl/postgres';
import type { GenerationRecord, GenerationRepository } from './online-store-loss-watcher';

interface Row {
  generation: string;
  started_at: Date;
  rebuild_job_id: string | null;
}

const toRecord = (row: Row): GenerationRecord => ({ generation: Number(row.generation), startedAt: new Date(row.started_at), rebuildJobId: row.rebuild_job_id });

/** The expected generation in PostgreSQL (`online_store_generation`, one row). */
export class PostgresGenerationRepository implements GenerationRepository {
  constructor(private readonly db: Pick<SourceDatabase, 'query'>) {}

  async current(): Promise<GenerationRecord | null> {
    const [row] = await this.db.query<Row>('SELECT generation, started_at, rebuild_job_id FROM online_store_generation WHERE id = 1');
    return row ? toRecord(row) : null;
  }

  async initialize(startedAt: Date): Promise<GenerationRecord> {
    await this.db.query('INSERT INTO online_store_generation (id, generation, started_at) VALUES (1, 1, $1) ON CONFLICT (id) DO NOTHING', [startedAt]);
    return (await this.current()) as GenerationRecord;
  }

  async claimNext(generation: number, startedAt: Date): Promise<GenerationRecord | null> {
    // The compare-and-set makes one instance of many the one that rebuilds.
    // Wrapped in a SELECT: the driver answers a bare UPDATE with [rows, count] rather than the rows.
    const rows = await this.db.query<Row>(
      `WITH claimed AS (
         UPDATE online_store_generation SET generation = generation + 1, started_at = $2, rebuild_job_id = NULL
         WHERE id = 1 AND generation = $1 RETURNING generation, started_at, rebuild_job_id)
       SELECT * FROM claimed`,
      [generation, startedAt],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async recordRebuild(generation: number, jobId: string): Promise<void> {
    await this.db.query('UPDATE online_store_generation SET rebuild_job_id = $2 WHERE id = 1 AND generation = $1', [generation, jobId]);
  }
}
