import { Module, type DynamicModule } from '@nestjs/common';
import { DB_READINESS, DbModule, toDbOptions } from '@bnpl/db';
import { ONLINE_STORE_READINESS, OnlineStoreModule, toOnlineStoreOptions } from '@bnpl/online-store';
import { HealthModule } from '@bnpl/platform';
import { type BatchProcessorConfig } from './config';

/** batch-processor: materialization, backfill and historical retrieval jobs. */
@Module({})
export class BatchProcessorModule {
  static register(config: BatchProcessorConfig): DynamicModule {
    // Batch statements scan ranges of millions of rows: a longer statement timeout than the read path's.
    const db = DbModule.forRootAsync({ useFactory: () => ({ ...toDbOptions(config, 'batch-processor'), statementTimeoutMs: 600_000 }) });
    const onlineStore = OnlineStoreModule.forRootAsync({ useFactory: () => toOnlineStoreOptions(config) });
    return {
      module: BatchProcessorModule,
      imports: [db, onlineStore, HealthModule.forRoot({ imports: [db, onlineStore], checks: [DB_READINESS, ONLINE_STORE_READINESS] })],
    };
  }
}
