import { Module, type DynamicModule } from '@nestjs/common';
import { DecisionSinkModule } from '@bnpl/decision-records-nest';
import { bnplCatalog } from '@bnpl/feature-definitions';
import { DB_READINESS, DbModule, toDbOptions } from '@bnpl/postgres';
import { JobsModule, toJobsModuleOptions } from '@bnpl/jobs-runtime';
import { MESSAGING_READINESS, MessagingModule, toMessagingOptions } from '@bnpl/messaging-nest';
import { OFFLINE_STORE_READINESS, OfflineStoreModule, type OfflineStoreOptions } from '@bnpl/offline-store-nest';
import { ONLINE_STORE_READINESS, OnlineStoreModule, toOnlineStoreOptions } from '@bnpl/online-store-nest';
import { CatalogModule, HealthModule, MetricsModule } from '@bnpl/platform';
import { type BatchProcessorConfig } from './config';
import { ShardConsumer } from './jobs/shard.consumer';
import { JobSupervisionModule } from './jobs/job-supervision.module';
import { HistoryModule } from './history/history.module';
import { OnlineStoreRebuildModule } from './rebuild/online-store-rebuild.module';
import { JobSchedulerModule } from './schedules/job-scheduler.module';

function offlineStoreOptions(config: BatchProcessorConfig): OfflineStoreOptions | null {
  switch (config.OFFLINE_STORE) {
    case 'none':
      return null;
    case 'duckdb':
      return { type: 'duckdb', path: config.OFFLINE_STORE_PATH ?? '' };
    case 'bigquery':
      return { type: 'bigquery', projectId: config.BIGQUERY_PROJECT ?? '', dataset: config.BIGQUERY_DATASET, ...(config.BIGQUERY_LOCATION ? { location: config.BIGQUERY_LOCATION } : {}) };
  }
}

/** batch-processor: runs the shards of materialization and backfill jobs pulled from the job queue. */
@Module({})
export class BatchProcessorModule {
  static register(config: BatchProcessorConfig): DynamicModule {
    // Batch statements scan ranges of millions of rows: a longer statement timeout than the read path's.
    const db = DbModule.forRootAsync({ useFactory: () => ({ ...toDbOptions(config, 'batch-processor'), statementTimeoutMs: 600_000 }) });
    const onlineStore = OnlineStoreModule.forRootAsync({ useFactory: () => toOnlineStoreOptions(config) });
    const messaging = MessagingModule.forRootAsync({ useFactory: () => toMessagingOptions(config) });
    const offline = offlineStoreOptions(config);
    const offlineStore = offline ? OfflineStoreModule.forRootAsync({ useFactory: () => offline }) : null;
    const stores = offlineStore ? [onlineStore, offlineStore] : [onlineStore];
    const jobSettings = toJobsModuleOptions(config);
    const jobs = JobsModule.register({
      imports: [db, ...stores, messaging],
      files: jobSettings.files,
      service: {
        ...jobSettings.service,
        chunkSize: config.BATCH_CHUNK_SIZE,
        concurrency: config.BATCH_CONCURRENCY,
        queuedShardsPerJob: config.JOB_QUEUED_SHARDS,
        leases: { pickupMs: config.JOB_PICKUP_LEASE_SECONDS * 1_000, heartbeatMs: config.JOB_HEARTBEAT_LEASE_SECONDS * 1_000 },
      },
    });
    return {
      module: BatchProcessorModule,
      imports: [
        // The one catalog of this process: every module that needs it injects FEATURE_CATALOG.
        CatalogModule.forRoot(bnplCatalog),
        MetricsModule.forRoot({ service: 'batch-processor' }),
        db,
        onlineStore,
        messaging,
        jobs,
        // Decision records of every serving instance, kept beside the feature history; the decisions service.
        ...(offlineStore && offline && config.DECISIONS_SINK === 'on' ? [DecisionSinkModule.register({ offlineStore, offlineOptions: offline, config, files: jobSettings.files })] : []),
        // An online store found without its data (restart without persistence, flush, empty replica) is rebuilt.
        OnlineStoreRebuildModule.register({ imports: [db, onlineStore, jobs] }),
        // Lost shard messages queued again, dead runners replaced, jobs without progress failed.
        JobSupervisionModule.register({ imports: [db, messaging, jobs], stallMs: config.JOB_STALL_TIMEOUT_SECONDS * 1_000 }),
        // The streaming path's history, into this instance's offline store.
        ...(offlineStore ? [HistoryModule.register(offlineStore)] : []),
        ...JobSchedulerModule.fromFile(config.JOB_SCHEDULES_FILE, { imports: [db, jobs], catalog: bnplCatalog, pollMs: config.SCHEDULER_POLL_MS }),
        HealthModule.forRoot({
          imports: [db, ...stores, messaging],
          checks: [DB_READINESS, ONLINE_STORE_READINESS, MESSAGING_READINESS, ...(offlineStore ? [OFFLINE_STORE_READINESS] : [])],
        }),
      ],
      controllers: [ShardConsumer],
    };
  }
}
