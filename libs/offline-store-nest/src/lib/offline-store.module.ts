import { FEATURE_HISTORY_SINK, TRAINING_SET_BUILDER, type FeatureHistorySink, type TrainingSetBuilder } from '@bnpl/batch';
import { Inject, Module, type DynamicModule, type ModuleMetadata, type OnApplicationShutdown } from '@nestjs/common';
import { type Catalog } from '@bnpl/feature-definitions';
import { FEATURE_CATALOG, type ReadinessCheck } from '@bnpl/platform';
import { BigQueryOfflineStore } from '@bnpl/offline-store-bigquery';
import { DuckDBOfflineStore } from '@bnpl/offline-store-duckdb';
import { OFFLINE_STORE, type OfflineStore } from '@bnpl/offline-store';

/** Backend selected by `type`, like Feast's offline_store config; one folder per backend under ../adapters. */
export type OfflineStoreOptions =
  | {
      readonly type: 'duckdb';
      /** The database file (e.g. under the data directory), or `:memory:`. */
      readonly path: string;
      /** DuckDB settings, e.g. `{ threads: '2', memory_limit: '2GB' }`. */
      readonly settings?: Readonly<Record<string, string>>;
    }
  | {
      readonly type: 'bigquery';
      readonly projectId: string;
      readonly dataset: string;
      readonly trainingDataset?: string;
      readonly location?: string;
    };

/** A ReadinessCheck named `offline-store`. */
export const OFFLINE_STORE_READINESS = Symbol('OFFLINE_STORE_READINESS');

/** The one place an adapter is chosen from options. Every process using the same store must use the same catalog. */
export async function createOfflineStore(options: OfflineStoreOptions, catalog: Catalog): Promise<OfflineStore> {
  switch (options.type) {
    case 'duckdb':
      return DuckDBOfflineStore.open({ path: options.path, settings: options.settings, catalog });
    case 'bigquery': {
      // Credentials are Application Default Credentials: GOOGLE_APPLICATION_CREDENTIALS, or the runtime's service account.
      return BigQueryOfflineStore.connect({ projectId: options.projectId, dataset: options.dataset, trainingDataset: options.trainingDataset, location: options.location, catalog });
    }
  }
}

export interface OfflineStoreModuleAsyncOptions {
  imports?: ModuleMetadata['imports'];
  inject?: Array<string | symbol | (abstract new (...args: never[]) => unknown)>;
  useFactory: (...args: never[]) => OfflineStoreOptions | Promise<OfflineStoreOptions>;
}

class OfflineStoreLifecycle implements OnApplicationShutdown {
  constructor(@Inject(OFFLINE_STORE) private readonly store: OfflineStore) {}
  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

@Module({})
export class OfflineStoreModule {
  static forRootAsync(options: OfflineStoreModuleAsyncOptions): DynamicModule {
    return {
      module: OfflineStoreModule,
      imports: options.imports ?? [],
      providers: [
        {
          provide: OFFLINE_STORE,
          useFactory: async (catalog: Catalog, ...args: never[]) => createOfflineStore(await options.useFactory(...args), catalog),
          inject: [FEATURE_CATALOG, ...(options.inject ?? [])],
        },
        {
          // The batch domain's history sink (materialization appends feature history here).
          provide: FEATURE_HISTORY_SINK,
          useFactory: (store: OfflineStore): FeatureHistorySink => ({ writeFeatureRows: async (view, rows) => void (await store.writeFeatureRows(view, rows)) }),
          inject: [OFFLINE_STORE],
        },
        {
          // Historical jobs: a training set from an entity file into an output file.
          provide: TRAINING_SET_BUILDER,
          useFactory: (store: OfflineStore): TrainingSetBuilder => ({
            build: async (spec) =>
              (
                await store.getHistoricalFeatures({
                  entityTable: { path: spec.entityFile },
                  ...(spec.features ? { features: spec.features } : { featureService: spec.featureService ?? '' }),
                  output: { kind: 'file', format: spec.outputFormat, path: spec.outputFile, overwrite: spec.overwrite === true },
                })
              ).rowCount,
          }),
          inject: [OFFLINE_STORE],
        },
        {
          provide: OFFLINE_STORE_READINESS,
          useFactory: (store: OfflineStore): ReadinessCheck => ({ name: 'offline-store', check: async () => (await store.ping(), { kind: store.kind }) }),
          inject: [OFFLINE_STORE],
        },
        OfflineStoreLifecycle,
      ],
      exports: [OFFLINE_STORE, FEATURE_HISTORY_SINK, TRAINING_SET_BUILDER, OFFLINE_STORE_READINESS],
    };
  }
}
