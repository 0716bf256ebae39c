import { Controller, Get, Inject, Logger, Module, ServiceUnavailableException, type DynamicModule, type InjectionToken, type ModuleMetadata, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { type Meter } from '@opentelemetry/api';
import { METER } from '../metrics/metrics.module';
import { type ReadinessCheck } from './readiness-check';
import { ReadinessMonitor } from './readiness-monitor';
import { type ReadinessBody } from './readiness-verdict';

export interface HealthModuleOptions {
  /** Modules that provide the checks' tokens. */
  imports?: ModuleMetadata['imports'];
  /** Tokens of providers implementing ReadinessCheck; one indicator each on /health/ready. */
  checks: InjectionToken[];
  /**
   * Of `checks`, those the service still serves without (worse): while one of them is down the service
   * stays ready and reports itself degraded (`degraded` on /health/ready, `bnpl_readiness_degraded`), so
   * that orchestrators keep a replica that answers every request.
   */
  degradable?: InjectionToken[];
  /** Bound on each check (default 1000 ms): a dependency that hangs is reported down, never a hung probe. */
  timeoutMs?: number;
  /** How often the checks also run in the background, for metrics and logs (default 5000 ms; 0: on probes only). */
  refreshMs?: number;
}

const OPTIONS = Symbol('HEALTH_OPTIONS');

/** The service's ReadinessMonitor: the same verdict as /health/ready, for other probes (e.g. gRPC health). */
export const READINESS = Symbol('READINESS');

@Controller('health')
class HealthController {
  constructor(@Inject(READINESS) private readonly monitor: ReadinessMonitor) {}

  /** Liveness: the process runs and its event loop answers. Never depends on another service. */
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * Readiness: 200 while the service can serve (`degraded` names the dependencies it serves without),
   * 503 with the failing checks when a dependency it cannot serve without is down. Unauthenticated, so it
   * says only up or down per dependency: never a host, a position, a lag or a driver's message.
   */
  @Get('ready')
  async ready(): Promise<ReadinessBody> {
    const verdict = await this.monitor.evaluate();
    if (!verdict.ready) throw new ServiceUnavailableException(verdict.body);
    return verdict.body;
  }

  /**
   * The same verdict with each check's details (positions, lag, counts; why a dependency is down, its
   * addresses masked), for operators: not a public route, so access control asks for scope `admin` where it
   * runs (rest-gateway, grpc-serving); the other services serve it, like /metrics, on their internal port.
   */
  @Get('details')
  async details(): Promise<ReadinessBody> {
    const verdict = await this.monitor.evaluate();
    if (!verdict.ready) throw new ServiceUnavailableException(verdict.detailed);
    return verdict.detailed;
  }
}

class MonitorLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(READINESS) private readonly monitor: ReadinessMonitor,
    @Inject(OPTIONS) private readonly options: HealthModuleOptions,
  ) {}
  onApplicationBootstrap(): void {
    this.monitor.start(this.options.refreshMs ?? 5_000);
  }
  onApplicationShutdown(): void {
    this.monitor.stop();
  }
}

/** Readiness as metrics: per dependency up (1) or down (0), ready, degraded. */
function registerReadinessMetrics(meter: Meter, monitor: ReadinessMonitor): void {
  meter.createObservableGauge('bnpl_dependency_up', { description: 'Whether a dependency answered its last readiness check (1) or not (0)' }).addCallback((r) => {
    for (const [name, entry] of Object.entries(monitor.last?.body.details ?? {})) r.observe(entry.status === 'up' ? 1 : 0, { dependency: name });
  });
  meter.createObservableGauge('bnpl_readiness_ready', { description: 'Whether the service reports itself ready (1) or not (0)' }).addCallback((r) => {
    if (monitor.last) r.observe(monitor.last.ready ? 1 : 0);
  });
  meter.createObservableGauge('bnpl_readiness_degraded', { description: 'Whether the service is ready but serving without a dependency (1) or not (0)' }).addCallback((r) => {
    if (monitor.last) r.observe(monitor.last.degraded.length > 0 ? 1 : 0);
  });
}

/**
 * `/health/live` and `/health/ready`, with one timeout-bounded indicator per dependency, degraded
 * readiness for the dependencies a service serves without, and readiness metrics when MetricsModule is loaded.
 */
@Module({})
export class HealthModule {
  static forRoot(options: HealthModuleOptions): DynamicModule {
    return {
      module: HealthModule,
      imports: [...(options.imports ?? [])],
      controllers: [HealthController],
      providers: [
        { provide: OPTIONS, useValue: options },
        {
          provide: READINESS,
          useFactory: (...injected: unknown[]) => {
            const meter = injected[options.checks.length] as Meter | undefined;
            const degradable = new Set(options.degradable ?? []);
            const checks = options.checks.map((token, i) => ({ check: injected[i] as ReadinessCheck, degradable: degradable.has(token) }));
            const monitor = new ReadinessMonitor(checks, options.timeoutMs ?? 1_000, new Logger('Health'));
            if (meter) registerReadinessMetrics(meter, monitor);
            return monitor;
          },
          inject: [...options.checks, { token: METER, optional: true }],
        },
        MonitorLifecycle,
      ],
      exports: [READINESS],
    };
  }
}
