import { Module, type DynamicModule } from '@nestjs/common';
import { DB_READINESS, DbModule, toDbOptions } from '@bnpl/db';
import { ONLINE_STORE_READINESS, OnlineStoreModule, toOnlineStoreOptions } from '@bnpl/online-store';
import { HealthModule } from '@bnpl/platform';
import { type RestGatewayConfig } from './config';
import { ServingModule } from './features/serving.module';

/** rest-gateway: HTTP/JSON for product teams. Adapters are chosen here and only here. */
@Module({})
export class RestGatewayModule {
  static register(config: RestGatewayConfig): DynamicModule {
    const db = DbModule.forRootAsync({ useFactory: () => toDbOptions(config, 'rest-gateway') });
    const onlineStore = OnlineStoreModule.forRootAsync({ useFactory: () => toOnlineStoreOptions(config) });
    return {
      module: RestGatewayModule,
      imports: [db, onlineStore, ServingModule.register(db, onlineStore), HealthModule.forRoot({ imports: [db, onlineStore], checks: [DB_READINESS, ONLINE_STORE_READINESS] })],
    };
  }
}
