import { z } from 'zod';
import { type TelemetryOptions } from '../bootstrap/http-telemetry';

/**
 * The variables of a service's logs and metrics, shared by every service schema (`...telemetryEnvSchema.shape`).
 * Tracing has the standard OTEL_* variables, read by each app's tracing.ts before its config loads.
 */
export const telemetryEnvSchema = z.object({
  /** Share of successful requests written to the access log (0..1); failed requests always are. */
  LOG_ACCESS_SAMPLE_RATE: z.coerce.number({ error: 'must be a number' }).min(0, 'must be from 0 to 1').max(1, 'must be from 0 to 1').default(0.01),
  /** `off` stops recording request durations (to measure their cost); /metrics keeps every other series. */
  REQUEST_METRICS: z.enum(['on', 'off'], { error: 'must be one of: on, off' }).default('on'),
});

export type TelemetryEnv = z.infer<typeof telemetryEnvSchema>;

/** The options `startHttpApp` (and grpc-serving's gRPC server) take, from the validated variables. */
export function telemetryOptions(config: TelemetryEnv): TelemetryOptions {
  return { accessLogSampleRate: config.LOG_ACCESS_SAMPLE_RATE, requestMetrics: config.REQUEST_METRICS === 'on' };
}
