import { bnplCatalog } from '@bnpl/feature-definitions';
import { credentials, loadPackageDefinition, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { join } from 'node:path';
import { createOnlineStore } from '@bnpl/online-store-nest';
import { SERVING_LOADER_OPTIONS, SERVING_PROTO_FILE, type FeatureResult__Output, type FeatureServingServiceClient, type GetOnlineFeaturesResponse__Output, type ServingProtoGrpcType } from '@bnpl/serving-contract';
import { describeFeatureUpdateScenario, freePort, WORKSPACE_ROOT, type StartedService } from '@bnpl/testing';

// Two grpc-serving processes with a 10-minute L1 TTL, on a real PostgreSQL, redis-server and the Pub/Sub
// emulator, called through gRPC: a value changed in Redis reaches their answers only through a
// feature-update event.

interface Instance extends StartedService {
  client: FeatureServingServiceClient;
}

const servingPackage = () => loadPackageDefinition(loadSync(SERVING_PROTO_FILE, { ...SERVING_LOADER_OPTIONS, includeDirs: [join(WORKSPACE_ROOT, 'proto')] })) as unknown as ServingProtoGrpcType;

describeFeatureUpdateScenario<Instance>({
  app: 'grpc-serving',
  openStore: (url) => createOnlineStore({ type: 'redis', url }, bnplCatalog),
  async startInstance(stack, env) {
    const grpcPort = await freePort();
    const service = await stack.startService('grpc-serving', { ...env, GRPC_PORT: String(grpcPort) }, { portVariable: 'HTTP_PORT' });
    const client = new (servingPackage().bnpl.featurestore.v1.FeatureServingService)(`127.0.0.1:${grpcPort}`, credentials.createInsecure());
    return { ...service, client };
  },
  readCountry(instance, customerId) {
    const request = { features: { refs: ['customer_profile:country'] }, entities: [{ keys: [{ join_key: 'customer_id', id: customerId }] }] };
    return new Promise<FeatureResult__Output>((resolve, reject) =>
      instance.client.GetOnlineFeatures(request, { deadline: Date.now() + 10_000 }, (error: ServiceError | null, response?: GetOnlineFeaturesResponse__Output) =>
        error || !response ? reject(error ?? new Error('no response')) : resolve(response.rows[0].values[0]),
      ),
    );
  },
  present: (code) => ({ value: { string_value: code }, status: 'FEATURE_STATUS_PRESENT' }),
  closeInstance: (instance) => instance.client.close(),
});
