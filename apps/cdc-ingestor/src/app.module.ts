import { Module, type DynamicModule } from '@nestjs/common';
import { DB_READINESS, DbModule, SOURCE_DATABASE, toDbOptions, type SourceDatabase } from '@bnpl/db';
import { ONLINE_STORE_READINESS, OnlineStoreModule, toOnlineStoreOptions } from '@bnpl/online-store';
import { HealthModule, MetricsModule } from '@bnpl/platform';
import { type CdcIngestorConfig } from './config';
import { logicalReplicationReadiness } from './replication/logical-replication.readiness';

const REPLICATION_READINESS = Symbol('REPLICATION_READINESS');

/** cdc-ingestor: streams source changes (pgoutput) into the online store. */
@Module({})
export class CdcIngestorModule {
  static register(config: CdcIngestorConfig): DynamicModule {
    const db = DbModule.forRootAsync({ useFactory: () => toDbOptions(config, 'cdc-ingestor') });
    const onlineStore = OnlineStoreModule.forRootAsync({ useFactory: () => toOnlineStoreOptions(config) });
    return {
      module: CdcIngestorModule,
      imports: [
        MetricsModule.forRoot({ service: 'cdc-ingestor' }),
        db,
        onlineStore,
        HealthModule.forRoot({
          imports: [db, onlineStore, ReplicationReadinessModule.register(db)],
          checks: [DB_READINESS, REPLICATION_READINESS, ONLINE_STORE_READINESS],
        }),
      ],
    };
  }
}

@Module({})
class ReplicationReadinessModule {
  static register(db: DynamicModule): DynamicModule {
    return {
      module: ReplicationReadinessModule,
      imports: [db],
      providers: [{ provide: REPLICATION_READINESS, useFactory: (source: SourceDatabase) => logicalReplicationReadiness(source), inject: [SOURCE_DATABASE] }],
      exports: [REPLICATION_READINESS],
    };
  }
}
