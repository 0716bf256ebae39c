import { Controller, Get, Global, Header, Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { MetricsRegistry } from './metrics-registry';

/** The service's OpenTelemetry `Meter` (from @opentelemetry/api); libs register their instruments on it. */
export const METER = Symbol('METER');
/** The service's MetricsRegistry, for what the METER cannot do cheaply (the request-duration histograms). */
export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');

@Controller()
class MetricsController {
  constructor(@Inject(METRICS_REGISTRY) private readonly registry: MetricsRegistry) {}

  /** Prometheus scrape endpoint. */
  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  metrics(): Promise<string> {
    return this.registry.render();
  }
}

class MetricsLifecycle implements OnApplicationShutdown {
  constructor(@Inject(METRICS_REGISTRY) private readonly registry: MetricsRegistry) {}
  async onApplicationShutdown(): Promise<void> {
    await this.registry.shutdown();
  }
}

/**
 * `GET /metrics` and a global `METER` token. Global so that any module (the serving runtime, the online
 * store) can add instruments without each app threading the meter through.
 */
@Global()
@Module({})
export class MetricsModule {
  static forRoot(options: { service: string }): DynamicModule {
    return {
      module: MetricsModule,
      controllers: [MetricsController],
      providers: [
        { provide: METRICS_REGISTRY, useFactory: () => new MetricsRegistry(options.service) },
        { provide: METER, useFactory: (registry: MetricsRegistry) => registry.meter, inject: [METRICS_REGISTRY] },
        MetricsLifecycle,
      ],
      exports: [METER, METRICS_REGISTRY],
    };
  }
}
