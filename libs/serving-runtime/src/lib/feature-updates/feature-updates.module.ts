import { Module, type DynamicModule } from '@nestjs/common';
import { type Meter } from '@opentelemetry/api';
import { METER } from '@bnpl/platform';
import { type GetOnlineFeatures } from '@bnpl/serving';
import { registerFeatureUpdateMetrics } from '../serving-metrics';
import { GET_ONLINE_FEATURES } from '../serving.tokens';
import { FeatureUpdateInvalidator } from './feature-update-invalidator';
import { featureUpdatesController, type FeatureUpdatesTopic } from './feature-updates.controller';

export interface FeatureUpdatesModuleOptions {
  /**
   * The app's ServingModule: the same DynamicModule object its API imports, so that Nest makes one read
   * path and the events invalidate the caches the API reads through.
   */
  readonly serving: DynamicModule;
  /** `featureUpdatesTopic` from @bnpl/messaging. */
  readonly topic: FeatureUpdatesTopic;
}

/**
 * Keeps a serving instance's caches fresh: handles feature-update events (`@EventPattern(topic.name)`)
 * with a FeatureUpdateInvalidator over the app's read path, counted on the app's `METER` when there is
 * one. The app connects the transport that feeds it: `messaging.transport([featureUpdatesBinding(...)])`.
 */
@Module({})
export class FeatureUpdatesModule {
  static register(options: FeatureUpdatesModuleOptions): DynamicModule {
    return {
      module: FeatureUpdatesModule,
      imports: [options.serving],
      providers: [
        {
          provide: FeatureUpdateInvalidator,
          useFactory: (readPath: GetOnlineFeatures, meter?: Meter) => {
            const invalidator = new FeatureUpdateInvalidator(readPath);
            if (meter) registerFeatureUpdateMetrics(meter, invalidator);
            return invalidator;
          },
          inject: [GET_ONLINE_FEATURES, { token: METER, optional: true }],
        },
      ],
      controllers: [featureUpdatesController(options.topic)],
      exports: [FeatureUpdateInvalidator],
    };
  }
}
