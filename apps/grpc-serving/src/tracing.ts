// Imported first by main.ts: tracing has to be set up before the modules it instruments (ioredis, pg,
// Fastify, ...) are loaded, so this file imports nothing else of the app.
import { DEFAULT_INSTRUMENTATIONS, startTracingFromEnv } from '@bnpl/observability';

// Without the gRPC instrumentation: this app's server spans come from its own wrapper of every unary
// handler (grpc/grpc-telemetry.ts), which makes them for a fraction of the instrumentation's cost per call,
// and it is no gRPC client of its own (Pub/Sub's background calls are not traced anyway).
startTracingFromEnv(
  'grpc-serving',
  // eslint-disable-next-line no-restricted-syntax -- the standard OTEL_* variables, read before config.ts loads the drivers
  process.env,
  { instrumentations: DEFAULT_INSTRUMENTATIONS.filter((name) => name !== 'grpc') },
);
