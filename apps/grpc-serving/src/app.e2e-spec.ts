import { credentials, loadPackageDefinition, type ServiceClientConstructor } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { protoPath } from 'grpc-health-check';
import { describeServiceLifecycle, freePort, waitFor } from '@bnpl/testing';

type HealthClient = InstanceType<ServiceClientConstructor> & {
  Check(req: { service: string }, cb: (err: Error | null, res: { status: string }) => void): void;
};

function grpcHealthStatus(address: string): Promise<string> {
  const pkg = loadPackageDefinition(loadSync(protoPath, { keepCase: true, enums: String })) as unknown as {
    grpc: { health: { v1: { Health: ServiceClientConstructor } } };
  };
  const client = new pkg.grpc.health.v1.Health(address, credentials.createInsecure()) as HealthClient;
  return new Promise((resolve, reject) =>
    client.Check({ service: '' }, (err, res) => {
      client.close();
      if (err) reject(err);
      else resolve(res.status);
    }),
  );
}

describeServiceLifecycle({
  app: 'grpc-serving',
  httpPortVariable: 'HTTP_PORT',
  readinessChecks: ['postgres', 'online-store'],
  extraEnv: async () => ({ GRPC_PORT: String(await freePort()) }),
  whileReady: async ({ env }) => {
    // The standard grpc.health.v1 service answers on the gRPC port and agrees with /health/ready.
    const status = await waitFor('gRPC health SERVING', async () => ((await grpcHealthStatus(`127.0.0.1:${env.GRPC_PORT}`)) === 'SERVING' ? 'SERVING' : undefined));
    expect(status).toBe('SERVING');
  },
  servesWithoutOnlineStore: true,
  whileDegraded: async ({ env }) => {
    // Degraded is still serving: gRPC load balancers keep sending calls, answered from PostgreSQL.
    expect(await grpcHealthStatus(`127.0.0.1:${env.GRPC_PORT}`)).toBe('SERVING');
  },
});
