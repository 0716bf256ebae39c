import { Controller, Get, Inject, Logger, Module, type DynamicModule, type InjectionToken, type ModuleMetadata } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TerminusModule, type HealthIndicatorResult } from '@nestjs/terminus';
import { ModuleRef } from '@nestjs/core';
import { withTimeout, type ReadinessCheck } from './readiness-check';

export interface HealthModuleOptions {
  /** Modules that provide the checks' tokens. */
  imports?: ModuleMetadata['imports'];
  /** Tokens of providers implementing ReadinessCheck; one indicator each on /health/ready. */
  checks: InjectionToken[];
  /** Bound on each check (default 1000 ms): a dependency that hangs is reported down, never a hung probe. */
  timeoutMs?: number;
}

const OPTIONS = Symbol('HEALTH_OPTIONS');

@Controller('health')
class HealthController {
  private readonly logger = new Logger('Health');
  private readonly lastState = new Map<string, 'up' | 'down'>();

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    private readonly moduleRef: ModuleRef,
    @Inject(OPTIONS) private readonly options: HealthModuleOptions,
  ) {}

  /** Liveness: the process runs and its event loop answers. Never depends on another service. */
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Readiness: every dependency answers within its bound. 503 with the failing checks otherwise. */
  @Get('ready')
  @HealthCheck()
  ready() {
    const timeoutMs = this.options.timeoutMs ?? 1_000;
    const checks = this.options.checks.map((token) => this.moduleRef.get<ReadinessCheck>(token, { strict: false }));
    return this.health.check(checks.map((c) => () => this.run(c, timeoutMs)));
  }

  private async run(check: ReadinessCheck, timeoutMs: number): Promise<HealthIndicatorResult> {
    const session = this.indicator.check(check.name);
    try {
      const details = (await withTimeout(check.check(), timeoutMs, check.name)) ?? {};
      this.transition(check.name, 'up');
      return session.up(details);
    } catch (error) {
      const message = (error as Error).message;
      // Log transitions only: a probe every few seconds must not flood the log while a dependency is down.
      this.transition(check.name, 'down', message);
      return session.down({ message });
    }
  }

  private transition(name: string, state: 'up' | 'down', message?: string): void {
    if (this.lastState.get(name) === state) return;
    this.lastState.set(name, state);
    if (state === 'down') this.logger.error(`dependency ${name} is down: ${message}`);
    else this.logger.log(`dependency ${name} is up`);
  }
}

/** `/health/live` and `/health/ready` (terminus), with one timeout-bounded indicator per dependency. */
@Module({})
export class HealthModule {
  static forRoot(options: HealthModuleOptions): DynamicModule {
    return {
      module: HealthModule,
      imports: [TerminusModule.forRoot({ logger: false }), ...(options.imports ?? [])],
      controllers: [HealthController],
      providers: [{ provide: OPTIONS, useValue: options }],
    };
  }
}
