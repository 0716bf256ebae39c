import { Transport, type MicroserviceOptions } from '@nestjs/microservices';
import { ReflectionService } from '@grpc/reflection';
import { loadSync } from '@grpc/proto-loader';
import { join } from 'node:path';
import { HealthImplementation, protoPath as healthProtoPath } from 'grpc-health-check';
import { keyRevocationsBinding } from '@bnpl/access-control-nest';
import { featureUpdatesTopic } from '@bnpl/messaging';
import { MESSAGING, type Messaging } from '@bnpl/messaging-nest';
import { createJsonLogger, loadServerTls, METRICS_REGISTRY, startHttpApp, telemetryOptions, type MetricsRegistry } from '@bnpl/platform';
import { installFastEncoders, SERVING_LOADER_OPTIONS, SERVING_PACKAGE, SERVING_PROTO_FILE } from '@bnpl/serving-contract';
import { featureUpdatesBinding } from '@bnpl/serving-runtime';
import { GrpcServingModule } from './app.module';
import { installRequestGuards } from './grpc/request-guards';
import { type GrpcServingConfig } from './config';
import { instrumentGrpcServer } from './grpc/grpc-telemetry';
import { grpcServerCredentials } from './grpc/grpc-server-credentials';

/**
 * Largest request message accepted; larger ones get RESOURCE_EXHAUSTED before decoding. 1,000 entity rows
 * take well under 100 KiB: 4 MiB (gRPC's usual default, set explicitly) leaves room without letting one
 * call hold much memory. Responses are not capped: their size follows from a valid request.
 *
 * Metadata has no setting: grpc-js's server ignores `grpc.max_metadata_size` (grpc/grpc-node#2050) and
 * exposes no HTTP/2 header settings. Node's HTTP/2 layer bounds it instead: a header field over 64 KiB or
 * more than 128 fields resets the stream, a header block of megabytes closes the connection; the call
 * fails at once (INTERNAL or RESOURCE_EXHAUSTED at the client) and the server is unaffected (e2e-tested).
 */
const MAX_RECEIVE_MESSAGE_BYTES = 4 * 1024 * 1024;

/**
 * Pings a connection after 60 s without a ping and drops it if no answer comes within 20 s, so connections
 * to vanished clients (a killed pod, a dropped NAT mapping) are released.
 */
const KEEPALIVE = { keepaliveTimeMs: 60_000, keepaliveTimeoutMs: 20_000 };

/**
 * Starts grpc-serving: FeatureServingService, health checking and server reflection (so grpcurl-style
 * tools work) on the gRPC port, an HTTP server for probes and metrics, and a consumer of feature-update
 * events that keeps the instance's caches fresh, in one NestJS application.
 */
export async function startGrpcServing(config: GrpcServingConfig) {
  const logger = createJsonLogger('grpc-serving', config.LOG_LEVEL);
  // Every instance has a subscription of its own: each must drop every updated entity from its L1 cache.
  const featureUpdates = featureUpdatesBinding('grpc-serving', featureUpdatesTopic);
  const servingProto = join(config.PROTO_DIR, SERVING_PROTO_FILE);
  const grpcHealth = new HealthImplementation({ '': 'NOT_SERVING' });
  // Reflection describes both our service and the health service, so grpcurl needs no proto files.
  const reflection = new ReflectionService(loadSync([servingProto, healthProtoPath], SERVING_LOADER_OPTIONS));
  // One certificate for both ports; mutual TLS (GRPC_CLIENT_CA_FILE) on the gRPC port only: probes and
  // Prometheus reach the HTTP port without a client certificate.
  const tls = loadServerTls('grpc-serving', config);
  const credentials = grpcServerCredentials(tls, config.GRPC_CLIENT_CA_FILE);
  const app = await startHttpApp(GrpcServingModule.register(config, grpcHealth), {
    host: config.HOST,
    port: config.HTTP_PORT,
    logger,
    telemetry: telemetryOptions(config),
    tls,
    beforeListen: async (nest) => {
      const metrics = nest.get<MetricsRegistry>(METRICS_REGISTRY, { strict: false });
      nest.connectMicroservice<MicroserviceOptions>(
        {
          transport: Transport.GRPC,
          options: {
            url: `${config.HOST}:${config.GRPC_PORT}`,
            credentials,
            package: SERVING_PACKAGE,
            protoPath: servingProto,
            // The handlers' types (@bnpl/serving-contract) describe exactly what these options decode.
            loader: SERVING_LOADER_OPTIONS,
            maxReceiveMessageLength: MAX_RECEIVE_MESSAGE_BYTES,
            keepalive: KEEPALIVE,
            // On SIGTERM, calls in flight finish (the read path bounds them) instead of being cut off.
            gracefulShutdown: true,
            onLoadPackageDefinition: (pkg, server) => {
              // GetOnlineFeatures answers are the hot path's largest cost after the read itself.
              installFastEncoders(pkg);
              // Undecodable requests and oversized batches are INVALID_ARGUMENT, refused before decoding.
              installRequestGuards(pkg);
              // Before any service is added: server spans, durations, access log and request ids of every unary call.
              instrumentGrpcServer(server, { logger, metrics, telemetry: telemetryOptions(config) });
              grpcHealth.addToServer(server);
              reflection.addToServer(server);
            },
          },
        },
        { inheritAppConfig: true },
      );
      const messaging = nest.get<Messaging>(MESSAGING, { strict: false });
      nest.connectMicroservice({ strategy: messaging.transport([featureUpdates, keyRevocationsBinding('grpc-serving')]) }, { inheritAppConfig: true });
      await nest.startAllMicroservices();
    },
  });
  logger.log(
    `grpc-serving listening on ${config.HOST}:${config.GRPC_PORT} (gRPC${tls ? (config.GRPC_CLIENT_CA_FILE ? ' over mutual TLS' : ' over TLS') : ''}) and ${tls ? 'https' : 'http'}://${config.HOST}:${config.HTTP_PORT} (health), invalidating its cache on ${featureUpdatesTopic.name} through ${featureUpdates.subscription}`,
  );
  return { apps: [app], logger, urls: { grpc: `127.0.0.1:${config.GRPC_PORT}`, http: `${tls ? 'https' : 'http'}://127.0.0.1:${config.HTTP_PORT}` } };
}
