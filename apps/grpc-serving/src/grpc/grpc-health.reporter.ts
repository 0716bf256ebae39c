import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { HealthImplementation } from 'grpc-health-check';
import { withTimeout, type ReadinessCheck } from '@bnpl/platform';

export const GRPC_HEALTH = Symbol('GRPC_HEALTH');
export const GRPC_READINESS_CHECKS = Symbol('GRPC_READINESS_CHECKS');

/**
 * Keeps the standard gRPC health status (grpc.health.v1, service "") in step with the same readiness
 * checks as /health/ready, so gRPC load balancers and `grpc-health-probe` see what HTTP probes see.
 */
@Injectable()
export class GrpcHealthReporter implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('GrpcHealth');
  private timer?: NodeJS.Timeout;
  private serving?: boolean;

  constructor(
    @Inject(GRPC_HEALTH) private readonly health: HealthImplementation,
    @Inject(GRPC_READINESS_CHECKS) private readonly checks: ReadinessCheck[],
  ) {}

  onApplicationBootstrap(): void {
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), 2_000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
    this.health.setStatus('', 'NOT_SERVING');
  }

  async refresh(): Promise<boolean> {
    const results = await Promise.allSettled(this.checks.map((c) => withTimeout(c.check(), 1_000, c.name)));
    const serving = results.every((r) => r.status === 'fulfilled');
    this.health.setStatus('', serving ? 'SERVING' : 'NOT_SERVING');
    if (serving !== this.serving) this.logger.log(`gRPC health: ${serving ? 'SERVING' : 'NOT_SERVING'}`);
    this.serving = serving;
    return serving;
  }
}
