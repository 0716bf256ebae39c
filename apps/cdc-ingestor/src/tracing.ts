// Imported first by main.ts: tracing has to be set up before the modules it instruments (Fastify, gRPC,
// ioredis, pg, ...) are loaded, so this file imports nothing else of the app.
import { startTracingFromEnv } from '@bnpl/observability';

// eslint-disable-next-line no-restricted-syntax -- the standard OTEL_* variables, read before config.ts loads the drivers
startTracingFromEnv('cdc-ingestor', process.env);
