import { Inject, Logger, Module, type DynamicModule, type InjectionToken, type OnApplicationShutdown } from '@nestjs/common';
import { type Meter } from '@opentelemetry/api';
import { SOURCE_FEATURE_READER, type Catalog, type SourceFeatureReader } from '@bnpl/feature-definitions';
import { ONLINE_STORE, type OnlineStore } from '@bnpl/online-store';
import { FEATURE_CATALOG, METER, type ReadinessCheck } from '@bnpl/platform';
import { GetOnlineFeatures, type GetOnlineFeaturesOptions, type ServingLogger } from '@bnpl/serving';
import { registerServingMetrics } from './serving-metrics';
import { GET_ONLINE_FEATURES } from './serving.tokens';
import { tracedSourceReader } from './traced-source-reader';

export interface ServingModuleOptions {
  /**
   * Modules providing ONLINE_STORE and SOURCE_FEATURE_READER (the app's OnlineStoreModule and DbModule):
   * the app chooses the adapters, this module only wires the read path over them.
   */
  readonly imports: NonNullable<DynamicModule['imports']>;
  /** Timeouts, breakers and negative cache of the read path. */
  readonly readPath?: Omit<GetOnlineFeaturesOptions, 'clock' | 'logger' | 'sourceProbe'>;
  /**
   * The token of the source's ReadinessCheck (the app's DB_READINESS, from one of `imports`): it probes the
   * source while its breaker is open, closing it as soon as PostgreSQL answers again.
   */
  readonly sourceProbe?: InjectionToken;
}

/**
 * The read path's logger over Nest's: its context object becomes structured fields of the one JSON log
 * line (the service's JsonLogger takes objects passed to Nest's Logger as fields).
 */
function nestServingLogger(logger: Logger): ServingLogger {
  return {
    log: (message, context) => (context ? logger.log(message, context) : logger.log(message)),
    warn: (message, context) => (context ? logger.warn(message, context) : logger.warn(message)),
  };
}

class ServingLifecycle implements OnApplicationShutdown {
  constructor(@Inject(GET_ONLINE_FEATURES) private readonly useCase: GetOnlineFeatures) {}
  async onApplicationShutdown(): Promise<void> {
    // Pending refills are flushed before the store's own shutdown hook closes its connections.
    await this.useCase.close();
  }
}

/**
 * The read path of a serving app (rest-gateway, grpc-serving): the GetOnlineFeatures use case over the
 * app's online store and source reader, its metrics on the app's `METER` (when MetricsModule is loaded),
 * and the catalog. Both edges use this one module, so REST and gRPC answers cannot drift apart.
 */
@Module({})
export class ServingModule {
  static register(options: ServingModuleOptions): DynamicModule {
    return {
      module: ServingModule,
      imports: options.imports,
      providers: [
        {
          provide: GET_ONLINE_FEATURES,
          // The app's one catalog (CatalogModule), the same the online store encodes with.
          useFactory: (catalog: Catalog, store: OnlineStore, source: SourceFeatureReader, meter?: Meter, probe?: ReadinessCheck) => {
            const useCase = new GetOnlineFeatures(catalog, store, tracedSourceReader(source), {
              ...options.readPath,
              ...(probe ? { sourceProbe: () => probe.check() } : {}),
              logger: nestServingLogger(new Logger('GetOnlineFeatures')),
            });
            if (meter) registerServingMetrics(meter, useCase, store);
            return useCase;
          },
          inject: [FEATURE_CATALOG, ONLINE_STORE, SOURCE_FEATURE_READER, { token: METER, optional: true }, ...(options.sourceProbe ? [options.sourceProbe] : [])],
        },
        ServingLifecycle,
      ],
      exports: [GET_ONLINE_FEATURES],
    };
  }
}

