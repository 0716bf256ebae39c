import { Module, type DynamicModule } from '@nestjs/common';
import { AccessControlModule, toAccessControlOptions } from '@bnpl/access-control-nest';
import { DecisionRecordingModule, toDecisionRecordingOptions } from '@bnpl/decision-records-nest';
import { bnplCatalog } from '@bnpl/feature-definitions';
import { DB_READINESS, DbModule, toDbOptions } from '@bnpl/postgres';
import { ONLINE_STORE_READINESS, OnlineStoreModule, toOnlineStoreOptions } from '@bnpl/online-store-nest';
import { JobsModule, toJobsModuleOptions } from '@bnpl/jobs-runtime';
import { featureUpdatesTopic } from '@bnpl/messaging';
import { MessagingModule, toMessagingOptions } from '@bnpl/messaging-nest';
import { CatalogModule, HealthModule, MetricsModule } from '@bnpl/platform';
import { FeatureUpdatesModule, ServingModule, toReadPathOptions } from '@bnpl/serving-runtime';
import { type RestGatewayConfig } from './config';
import { DecisionsApiModule } from './decisions/decisions.module';
import { FeaturesModule } from './features/features.module';
import { JobsApiModule } from './jobs/jobs.module';
import { SchedulesApiModule } from './schedules/schedules.module';
import { KeysApiModule } from './keys/keys.module';

/** rest-gateway: HTTP/JSON for product teams. Adapters are chosen here and only here. */
@Module({})
export class RestGatewayModule {
  static register(config: RestGatewayConfig): DynamicModule {
    const db = DbModule.forRootAsync({ useFactory: () => toDbOptions(config, 'rest-gateway') });
    const onlineStore = OnlineStoreModule.forRootAsync({ useFactory: () => toOnlineStoreOptions(config) });
    const messaging = MessagingModule.forRootAsync({ useFactory: () => toMessagingOptions(config) });
    // One read path: the API reads through the caches that feature-update events invalidate.
    const serving = ServingModule.register({ imports: [db, onlineStore], sourceProbe: DB_READINESS, readPath: toReadPathOptions(config) });
    // Every route needs a credential with the scope it declares (a global guard); keys are in the database,
    // revocations are announced over messaging.
    const accessControl = AccessControlModule.forRootAsync({ imports: [db, messaging], useFactory: () => toAccessControlOptions(config, 'rest-gateway') });
    return {
      module: RestGatewayModule,
      imports: [
        // The one catalog of this process: every module that needs it injects FEATURE_CATALOG.
        CatalogModule.forRoot(bnplCatalog),
        MetricsModule.forRoot({ service: 'rest-gateway' }),
        db,
        onlineStore,
        messaging,
        accessControl,
        // Every feature read answers with a decision id and is recorded (DECISION_SERVING, global).
        DecisionRecordingModule.register({ serving, messaging, options: toDecisionRecordingOptions(config, 'rest-gateway') }),
        FeaturesModule.register(serving),
        DecisionsApiModule.register(config),
        FeatureUpdatesModule.register({ serving, topic: featureUpdatesTopic }),
        JobsApiModule.register(JobsModule.register({ imports: [db, messaging], ...toJobsModuleOptions(config) })),
        SchedulesApiModule.register(db),
        KeysApiModule.register(accessControl),
        // Messaging is not a readiness dependency here: feature reads work without it (the L1 TTL bounds
        // staleness while feature-update events cannot arrive); job submissions answer 503 while it is down.
        // Redis down is degraded, not unready: every read is answered from PostgreSQL meanwhile.
        HealthModule.forRoot({ imports: [db, onlineStore], checks: [DB_READINESS, ONLINE_STORE_READINESS], degradable: [ONLINE_STORE_READINESS] }),
      ],
    };
  }
}
