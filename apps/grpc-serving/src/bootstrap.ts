import { Transport, type MicroserviceOptions } from '@nestjs/microservices';
import { ReflectionService } from '@grpc/reflection';
import { loadSync } from '@grpc/proto-loader';
import { join } from 'node:path';
import { HealthImplementation, protoPath as healthProtoPath } from 'grpc-health-check';
import { createJsonLogger, startHttpApp } from '@bnpl/platform';
import { GrpcServingModule } from './app.module';
import { type GrpcServingConfig } from './config';


/**
 * Starts grpc-serving: a gRPC server (health checking and server reflection, so grpcurl-style tools
 * work) and an HTTP server for probes and metrics, in one NestJS application.
 */
export async function startGrpcServing(config: GrpcServingConfig) {
  const logger = createJsonLogger('grpc-serving', config.LOG_LEVEL);
  const SERVING_PROTO = join(config.PROTO_DIR, 'bnpl/featurestore/v1/serving.proto');
  const grpcHealth = new HealthImplementation({ '': 'NOT_SERVING' });
  // Reflection describes both our service and the health service, so grpcurl needs no proto files.
  const reflection = new ReflectionService(loadSync([SERVING_PROTO, healthProtoPath], { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true }));
  const app = await startHttpApp(GrpcServingModule.register(config, grpcHealth), {
    host: config.HOST,
    port: config.HTTP_PORT,
    logger,
    beforeListen: async (nest) => {
      nest.connectMicroservice<MicroserviceOptions>(
        {
          transport: Transport.GRPC,
          options: {
            url: `${config.HOST}:${config.GRPC_PORT}`,
            package: 'bnpl.featurestore.v1',
            protoPath: SERVING_PROTO,
            loader: { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true },
            onLoadPackageDefinition: (_pkg, server) => {
              grpcHealth.addToServer(server);
              reflection.addToServer(server);
            },
          },
        },
        { inheritAppConfig: true },
      );
      await nest.startAllMicroservices();
    },
  });
  logger.log(`grpc-serving listening on ${config.HOST}:${config.GRPC_PORT} (gRPC) and http://${config.HOST}:${config.HTTP_PORT} (health)`);
  return { apps: [app], logger, urls: { grpc: `127.0.0.1:${config.GRPC_PORT}`, http: `http://127.0.0.1:${config.HTTP_PORT}` } };
}
