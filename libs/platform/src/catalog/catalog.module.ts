import { Global, Module, type DynamicModule } from '@nestjs/common';

/**
 * The feature catalog of this process (a `Catalog` from @bnpl/feature-definitions). Provided once per app
 * by `CatalogModule.forRoot` in its app.module; every module that needs the catalog (the online store's
 * encoding, the read path, jobs, the offline store) injects this token, so one process cannot mix two.
 */
export const FEATURE_CATALOG = Symbol('FEATURE_CATALOG');

/**
 * Provides FEATURE_CATALOG to the whole app (a global module). Typed loosely on purpose: this util lib does
 * not depend on the domain; injection sites declare `Catalog`.
 */
@Global()
@Module({})
export class CatalogModule {
  static forRoot(catalog: object): DynamicModule {
    return { module: CatalogModule, global: true, providers: [{ provide: FEATURE_CATALOG, useValue: catalog }], exports: [FEATURE_CATALOG] };
  }
}
