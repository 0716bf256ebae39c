import { Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import { bnplCatalog, SOURCE_FEATURE_READER, type OnlineStore, type SourceFeatureReader } from '@bnpl/feature-definitions';
import { ONLINE_STORE } from '@bnpl/online-store';
import { GetOnlineFeatures } from '@bnpl/serving';
import { FeaturesController } from './features.controller';

import { GET_ONLINE_FEATURES } from './serving.tokens';

class ServingLifecycle implements OnApplicationShutdown {
  constructor(@Inject(GET_ONLINE_FEATURES) private readonly useCase: GetOnlineFeatures) {}
  async onApplicationShutdown(): Promise<void> {
    await this.useCase.close();
  }
}

/** The read path (serving lib) over this app's online store and source database. */
@Module({})
export class ServingModule {
  static register(db: DynamicModule, onlineStore: DynamicModule): DynamicModule {
    return {
      module: ServingModule,
      imports: [db, onlineStore],
      controllers: [FeaturesController],
      providers: [
        {
          provide: GET_ONLINE_FEATURES,
          useFactory: (store: OnlineStore, source: SourceFeatureReader) => new GetOnlineFeatures(bnplCatalog, store, source, { logger: new Logger('GetOnlineFeatures') }),
          inject: [ONLINE_STORE, SOURCE_FEATURE_READER],
        },
        ServingLifecycle,
      ],
    };
  }
}
