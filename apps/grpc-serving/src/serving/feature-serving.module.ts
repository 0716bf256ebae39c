import { Module, type DynamicModule } from '@nestjs/common';
import { FeatureServingController } from './feature-serving.controller';

/** FeatureServingService's handlers over the shared read path (`serving`: the app's ServingModule). */
@Module({})
export class FeatureServingModule {
  static register(serving: DynamicModule): DynamicModule {
    return { module: FeatureServingModule, imports: [serving], controllers: [FeatureServingController] };
  }
}
