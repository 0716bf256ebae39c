import { Module, type DynamicModule } from '@nestjs/common';
import { CatalogController } from '../catalog/catalog.controller';
import { FeastController } from '../feast/feast.controller';
import { FeaturesController } from './features.controller';
import { OnlineFeaturesController } from './online-features.controller';

/**
 * The REST API over the shared read path (`serving`: ServingModule): feature reads for one customer and
 * for many entities, the Feast-compatible read, and the catalog.
 */
@Module({})
export class FeaturesModule {
  static register(serving: DynamicModule): DynamicModule {
    return { module: FeaturesModule, imports: [serving], controllers: [FeaturesController, OnlineFeaturesController, FeastController, CatalogController] };
  }
}
