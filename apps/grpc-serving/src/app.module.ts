import { Module, type DynamicModule } from '@nestjs/common';
import { AccessControlModule, toAccessControlOptions } from '@bnpl/access-control-nest';
import { DecisionRecordingModule, toDecisionRecordingOptions } from '@bnpl/decision-records-nest';
import { bnplCatalog } from '@bnpl/feature-definitions';
import { HealthImplementation } from 'grpc-health-check';
import { DB_READINESS, DbModule, toDbOptions } from '@bnpl/postgres';
import { featureUpdatesTopic } from '@bnpl/messaging';
import { MessagingModule, toMessagingOptions } from '@bnpl/messaging-nest';
import { ONLINE_STORE_READINESS, OnlineStoreModule, toOnlineStoreOptions } from '@bnpl/online-store-nest';
import { CatalogModule, HealthModule, MetricsModule } from '@bnpl/platform';
import { FeatureUpdatesModule, ServingModule, toReadPathOptions } from '@bnpl/serving-runtime';
import { type GrpcServingConfig } from './config';
import { GRPC_HEALTH, GrpcHealthReporter } from './grpc/grpc-health.reporter';
import { FeatureServingModule } from './serving/feature-serving.module';

/** grpc-serving: the risk engine's low-latency gRPC interface. */
@Module({})
export class GrpcServingModule {
  static register(config: GrpcServingConfig, grpcHealth: HealthImplementation): DynamicModule {
    const db = DbModule.forRootAsync({ useFactory: () => toDbOptions(config, 'grpc-serving') });
    const onlineStore = OnlineStoreModule.forRootAsync({ useFactory: () => toOnlineStoreOptions(config) });
    // Messaging carries the feature-update events that invalidate this instance's caches.
    const messaging = MessagingModule.forRootAsync({ useFactory: () => toMessagingOptions(config) });
    // One read path: the gRPC service reads through the caches that feature-update events invalidate.
    const serving = ServingModule.register({ imports: [db, onlineStore], sourceProbe: DB_READINESS, readPath: toReadPathOptions(config) });
    return {
      module: GrpcServingModule,
      imports: [
        // The one catalog of this process: every module that needs it injects FEATURE_CATALOG.
        CatalogModule.forRoot(bnplCatalog),
        MetricsModule.forRoot({ service: 'grpc-serving' }),
        db,
        onlineStore,
        messaging,
        // Every RPC needs a credential (metadata x-api-key or authorization: Bearer) with the scope it declares.
        AccessControlModule.forRootAsync({ imports: [db, messaging], useFactory: () => toAccessControlOptions(config, 'grpc-serving') }),
        // Every GetOnlineFeatures answer carries a decision id and is recorded (DECISION_SERVING, global).
        DecisionRecordingModule.register({ serving, messaging, options: toDecisionRecordingOptions(config, 'grpc-serving') }),
        FeatureServingModule.register(serving),
        FeatureUpdatesModule.register({ serving, topic: featureUpdatesTopic }),
        // Messaging is not a readiness dependency: reads work without it, the L1 TTL bounding staleness
        // while feature-update events cannot arrive.
        // Redis down is degraded, not unready: every read is answered from PostgreSQL meanwhile.
        HealthModule.forRoot({ imports: [db, onlineStore], checks: [DB_READINESS, ONLINE_STORE_READINESS], degradable: [ONLINE_STORE_READINESS] }),
      ],
      providers: [
        { provide: GRPC_HEALTH, useValue: grpcHealth },
        GrpcHealthReporter,
      ],
    };
  }
}
