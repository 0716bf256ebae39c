export { ConfigError } from './config/config.error';
export { env, loadConfig, type ConfigCheck } from './config/load-config';
export { HealthModule, type HealthModuleOptions } from './health/health.module';
export { withTimeout, type ReadinessCheck } from './health/readiness-check';
export { createJsonLogger } from './logging/json-logger';
export { closeOnSignals, startHttpApp, type HttpAppOptions } from './bootstrap/http-app';
export { runService } from './bootstrap/run-service';
export { METER, MetricsModule } from './metrics/metrics.module';
export { MetricsRegistry } from './metrics/metrics-registry';
