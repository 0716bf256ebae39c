import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { HealthImplementation } from 'grpc-health-check';
import { READINESS, type ReadinessMonitor } from '@bnpl/platform';

export const GRPC_HEALTH = Symbol('GRPC_HEALTH');

/**
 * Keeps the standard gRPC health status (grpc.health.v1, service "") in step with /health/ready (the same
 * ReadinessMonitor), so gRPC load balancers and `grpc-health-probe` see what HTTP probes see: SERVING
 * while the service can serve, degraded included (Redis down, reads from PostgreSQL).
 */
@Injectable()
export class GrpcHealthReporter implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('GrpcHealth');
  private timer?: NodeJS.Timeout;
  private serving?: boolean;

  constructor(
    @Inject(GRPC_HEALTH) private readonly health: HealthImplementation,
    @Inject(READINESS) private readonly readiness: ReadinessMonitor,
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
    const { ready: serving } = await this.readiness.evaluate();
    this.health.setStatus('', serving ? 'SERVING' : 'NOT_SERVING');
    if (serving !== this.serving) this.logger.log(`gRPC health: ${serving ? 'SERVING' : 'NOT_SERVING'}`);
    this.serving = serving;
    return serving;
  }
}
