import { FEATURE_HISTORY_SINK, TRAINING_SET_BUILDER, type FeatureHistorySink, type TrainingSetBuilder } from '@bnpl/batch';
import { Inject, Module, type DynamicModule, type ModuleMetadata, type OnApplicationShutdown } from '@nestjs/common';
import { BigQuery } from '@google-cloud/bigquery';
import { bnplCatalog, type Catalog } from '@bnpl/feature-definitions';
import { type ReadinessCheck } from '@bnpl/platform';
import { BigQueryOfflineStore } from '../adapters/bigquery/bigquery-offline-store';
import { DuckDBOfflineStore } from '../adapters/duckdb/duckdb-offline-store';
import { OFFLINE_STORE, type OfflineStore } from './offline-store.port';

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
export async function createOfflineStore(options: OfflineStoreOptions, catalog: Catalog = bnplCatalog): Promise<OfflineStore> {
  switch (options.type) {
    case 'duckdb':
      return DuckDBOfflineStore.open({ path: options.path, settings: options.settings, catalog });
    case 'bigquery': {
      // Credentials are Application Default Credentials: GOOGLE_APPLICATION_CREDENTIALS, or the runtime's service account.
      const client = new BigQuery({ projectId: options.projectId, location: options.location });
      return new BigQueryOfflineStore({ client, dataset: options.dataset, trainingDataset: options.trainingDataset, location: options.location, catalog });
    }
  }
}

export interface OfflineStoreModuleAsyncOptions {
  imports?: ModuleMetadata['imports'];
  inject?: Array<string | symbol | (abstract new (...args: never[]) => unknown)>;
  useFactory: (...args: never[]) => OfflineStoreOptions | Promise<OfflineStoreOptions>;
  /** The feature catalog; default `bnplCatalog`. */
  catalog?: Catalog;
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
          useFactory: async (...args: never[]) => createOfflineStore(await options.useFactory(...args), options.catalog),
          inject: options.inject ?? [],
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
                  output: { kind: 'file', format: spec.outputFormat, path: spec.outputFile },
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
