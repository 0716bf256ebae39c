import { Logger, Module, type DynamicModule } from '@nestjs/common';
import { type Meter } from '@opentelemetry/api';
import { CdcIngestor, type FeatureUpdateNotifier } from '@bnpl/cdc';
import { DB_READINESS, DbModule, PgLogicalChangeFeed, PostgresChangeLog, PostgresWindowEdgeSource, SOURCE_DATABASE, toDbOptions, type SourceDatabase } from '@bnpl/postgres';
import { bnplCatalog, SOURCE_TILES_READER, sourceColumnsRead, type Catalog, type SourceTilesReader } from '@bnpl/feature-definitions';
import { ONLINE_STORE, type OnlineStore } from '@bnpl/online-store';
import { featureUpdatesTopic, MESSAGE_PUBLISHER, type MessagePublisher } from '@bnpl/messaging';
import { MESSAGING_READINESS, MessagingModule, toMessagingOptions } from '@bnpl/messaging-nest';
import { ONLINE_STORE_READINESS, OnlineStoreModule, toOnlineStoreOptions } from '@bnpl/online-store-nest';
import { inNewTrace } from '@bnpl/observability';
import { CatalogModule, FEATURE_CATALOG, HealthModule, METER, MetricsModule } from '@bnpl/platform';
import { type CdcIngestorConfig } from './config';
import { freshnessRecorder, registerCdcMetrics } from './ingest/cdc-metrics';
import { cdcReadiness } from './ingest/cdc-readiness';
import { historyPublisher } from './ingest/history-publisher';
import { CdcRuntime } from './ingest/cdc-runtime';

const CDC_RUNTIME = Symbol('CDC_RUNTIME');
const CDC_READINESS = Symbol('CDC_READINESS');

/** cdc-ingestor: streams source changes (pgoutput) into the online store. */
@Module({})
export class CdcIngestorModule {
  static register(config: CdcIngestorConfig): DynamicModule {
    const db = DbModule.forRootAsync({ useFactory: () => toDbOptions(config, 'cdc-ingestor') });
    const onlineStore = OnlineStoreModule.forRootAsync({ useFactory: () => toOnlineStoreOptions(config) });
    const messaging = MessagingModule.forRootAsync({ useFactory: () => toMessagingOptions(config) });
    const stream = StreamModule.register(config, [db, onlineStore, messaging]);
    return {
      module: CdcIngestorModule,
      imports: [
        // The one catalog of this process: every module that needs it injects FEATURE_CATALOG.
        CatalogModule.forRoot(bnplCatalog),
        MetricsModule.forRoot({ service: 'cdc-ingestor' }),
        db,
        onlineStore,
        messaging,
        stream,
        HealthModule.forRoot({
          imports: [db, onlineStore, messaging, stream],
          checks: [DB_READINESS, ONLINE_STORE_READINESS, MESSAGING_READINESS, CDC_READINESS],
        }),
      ],
    };
  }
}

/** The ingestor over the app's database, online store and publisher; its readiness check. */
@Module({})
class StreamModule {
  static register(config: CdcIngestorConfig, imports: DynamicModule[]): DynamicModule {
    return {
      module: StreamModule,
      imports,
      providers: [
        {
          provide: CDC_RUNTIME,
          useFactory: (catalog: Catalog, db: SourceDatabase, tiles: SourceTilesReader, online: OnlineStore, publisher: MessagePublisher, meter?: Meter) => {
            const feed = new PgLogicalChangeFeed(db, {
              url: config.DATABASE_URL,
              slotName: config.CDC_SLOT_NAME,
              publicationName: config.CDC_PUBLICATION,
              // Only the columns features read: PII (e-mail, name, date of birth) never leaves PostgreSQL.
              tables: Object.fromEntries(sourceColumnsRead(catalog)),
              applicationName: 'cdc-ingestor',
              // The same TLS as the app's other connections (DATABASE_SSL_MODE, DATABASE_CA_FILE, the URL's sslmode).
              tls: toDbOptions(config, 'cdc-ingestor').tls,
              onWarning: (message) => new Logger('ChangeFeed').warn(message),
            });
            const notifier: FeatureUpdateNotifier = { notify: async (notice) => void (await publisher.publish(featureUpdatesTopic, notice)) };
            const ingestor = namingLaneIntervals(() => new CdcIngestor(
              {
                catalog,
                feed,
                tiles,
                online,
                notifier,
                // The offline store's history and the change log of incremental runs (README, "History from the stream").
                ...(config.CDC_HISTORY === 'on' ? { history: historyPublisher(publisher) } : {}),
                ...(config.CDC_CHANGE_LOG === 'on' ? { changeLog: new PostgresChangeLog((sql, params) => db.query(sql, params)) } : {}),
              },
              {
                maxBatchTransactions: config.CDC_BATCH_MAX_TRANSACTIONS,
                maxPendingTransactions: config.CDC_MAX_PENDING_TRANSACTIONS,
                laneIntervalMs: config.CDC_LANE_INTERVAL_MS,
                logger: new Logger('CdcIngestor'),
                ...(meter ? { onBatchApplied: freshnessRecorder(meter) } : {}),
                // Each batch starts a trace: its source reads, writes and feature-update events (and, through
                // them, each serving instance's cache invalidation) are its children.
                aroundApply: (batch, apply) => inNewTrace('cdc apply', { 'bnpl.cdc.transactions': batch.transactions }, apply),
              },
            ));
            const runtime = new CdcRuntime(ingestor, feed, { maxLagBytes: config.CDC_MAX_LAG_BYTES, maxLagSeconds: config.CDC_MAX_LAG_SECONDS }, new PostgresWindowEdgeSource(db));
            if (meter) registerCdcMetrics(meter, runtime);
            return runtime;
          },
          inject: [FEATURE_CATALOG, SOURCE_DATABASE, SOURCE_TILES_READER, ONLINE_STORE, MESSAGE_PUBLISHER, { token: METER, optional: true }],
        },
        { provide: CDC_READINESS, useFactory: (runtime: CdcRuntime) => cdcReadiness(runtime), inject: [CDC_RUNTIME] },
      ],
      exports: [CDC_READINESS],
    };
  }
}

/** The ingestor refuses a lane interval that no lane can use (a RangeError naming the entity): at start-up, as the variable's problem. */
function namingLaneIntervals(build: () => CdcIngestor): CdcIngestor {
  try {
    return build();
  } catch (error) {
    if (error instanceof RangeError) throw new Error(`CDC_LANE_INTERVAL_MS: ${error.message}`);
    throw error;
  }
}
