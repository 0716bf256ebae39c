import { Inject, Logger, Module, type DynamicModule, type ModuleMetadata, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { type Meter } from '@opentelemetry/api';
import type { JobService } from '@bnpl/batch';
import type { Catalog } from '@bnpl/feature-definitions';
import { JOB_SERVICE } from '@bnpl/jobs-runtime';
import { ONLINE_STORE, type OnlineStore } from '@bnpl/online-store';
import { FEATURE_CATALOG, METER } from '@bnpl/platform';
import { SOURCE_DATABASE, type SourceDatabase } from '@bnpl/postgres';
import { GenerationMarker } from './generation-marker';
import { OnlineStoreLossWatcher } from './online-store-loss-watcher';
import { PostgresGenerationRepository } from './postgres-generation.repository';

const LOSS_WATCHER = Symbol('LOSS_WATCHER');

export interface OnlineStoreRebuildOptions {
  /** Modules providing SOURCE_DATABASE, ONLINE_STORE and JOB_SERVICE. */
  readonly imports: NonNullable<ModuleMetadata['imports']>;
  /** How often the store's generation marker is checked, ms. Default 2,000: one small read. */
  readonly checkMs?: number;
}

class WatcherLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(LOSS_WATCHER) private readonly watcher: OnlineStoreLossWatcher,
    private readonly checkMs: number,
  ) {}
  onApplicationBootstrap(): void {
    this.watcher.start(this.checkMs);
  }
  async onApplicationShutdown(): Promise<void> {
    await this.watcher.stop();
  }
}

/**
 * The automatic rebuild of an online store that lost its data (OnlineStoreLossWatcher), on every
 * batch-processor instance (PostgreSQL's compare-and-set makes one of them rebuild), with its metrics:
 * `bnpl_online_store_rebuilds_total`, `bnpl_online_store_generation`.
 */
@Module({})
export class OnlineStoreRebuildModule {
  static register(options: OnlineStoreRebuildOptions): DynamicModule {
    return {
      module: OnlineStoreRebuildModule,
      imports: options.imports,
      providers: [
        {
          provide: LOSS_WATCHER,
          useFactory: (db: SourceDatabase, store: OnlineStore, jobs: JobService, catalog: Catalog, meter?: Meter) => {
            const watcher = new OnlineStoreLossWatcher({
              marker: new GenerationMarker(store, catalog),
              generations: new PostgresGenerationRepository(db),
              jobs,
              logger: new Logger('OnlineStoreRebuild'),
            });
            meter
              ?.createObservableCounter('bnpl_online_store_rebuilds', { description: 'Rebuilds of the online store this instance started after finding its data lost' })
              .addCallback((r) => r.observe(watcher.stats().rebuilds));
            meter
              ?.createObservableGauge('bnpl_online_store_generation', { description: 'The online store generation this instance last saw in place (0: not known yet)' })
              .addCallback((r) => r.observe(watcher.stats().generation));
            return watcher;
          },
          inject: [SOURCE_DATABASE, ONLINE_STORE, JOB_SERVICE, FEATURE_CATALOG, { token: METER, optional: true }],
        },
        { provide: WatcherLifecycle, useFactory: (watcher: OnlineStoreLossWatcher) => new WatcherLifecycle(watcher, options.checkMs ?? 2_000), inject: [LOSS_WATCHER] },
      ],
    };
  }
}
