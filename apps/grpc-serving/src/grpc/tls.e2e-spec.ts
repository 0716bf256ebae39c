import { credentials, loadPackageDefinition, status, type ChannelCredentials, type ServiceClientConstructor, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { protoPath } from 'grpc-health-check';
import {
  freePort,
  generateTestCertificates,
  getJsonOverTls,
  serviceEnv,
  spawnService,
  startRedisServer,
  startTestPostgres,
  waitFor,
  type RunningRedis,
  type ServiceProcess,
  type TestCertificates,
  type TestPostgres,
} from '@bnpl/testing';

type HealthClient = InstanceType<ServiceClientConstructor> & {
  Check(req: { service: string }, options: { deadline: number }, cb: (err: ServiceError | null, res: { status: string }) => void): void;
};
const Health = (loadPackageDefinition(loadSync(protoPath, { keepCase: true, enums: String })) as unknown as { grpc: { health: { v1: { Health: ServiceClientConstructor } } } }).grpc.health.v1.Health;

/** grpc.health.v1 Check on `port`: the serving status, or the status code name the call failed with. */
function grpcHealth(port: number, channel: ChannelCredentials): Promise<string> {
  const client = new Health(`127.0.0.1:${port}`, channel, { 'grpc.ssl_target_name_override': 'localhost' }) as HealthClient;
  return new Promise((resolve) =>
    client.Check({ service: '' }, { deadline: Date.now() + 10_000 }, (error, res) => {
      client.close();
      resolve(error ? status[error.code] : res.status);
    }),
  );
}

/** grpc-serving, as deployed behind a mesh that presents client certificates: TLS on both ports, mutual TLS on gRPC. */
describe('grpc-serving over mutual TLS', () => {
  let certs: TestCertificates;
  let pg: TestPostgres;
  let redis: RunningRedis;
  let service: ServiceProcess | undefined;
  let grpcPort: number;
  let httpPort: number;
  let env: Record<string, string>;

  beforeAll(async () => {
    certs = generateTestCertificates();
    [pg, redis] = await Promise.all([startTestPostgres(), startRedisServer()]);
    [grpcPort, httpPort] = [await freePort(), await freePort()];
    env = {
      ...serviceEnv({ pg, redis }),
      GRPC_PORT: String(grpcPort),
      HTTP_PORT: String(httpPort),
      TLS_CERT_FILE: certs.server.certFile,
      TLS_KEY_FILE: certs.server.keyFile,
      GRPC_CLIENT_CA_FILE: certs.ca.certFile,
    };
    service = spawnService('grpc-serving', env);
    const withCertificate = credentials.createSsl(certs.ca.cert, certs.client.key, certs.client.cert);
    try {
      await waitFor('grpc-serving SERVING over mutual TLS', async () => ((await grpcHealth(grpcPort, withCertificate)) === 'SERVING' ? true : undefined), 60_000, 200);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- service output ---\n${service.output()}`);
    }
  });

  afterAll(async () => {
    await service?.stop();
    await Promise.all([pg?.stop(), redis?.stop()]);
    certs?.remove();
  });

  it('answers a client with a certificate of the client CA', async () => {
    expect(await grpcHealth(grpcPort, credentials.createSsl(certs.ca.cert, certs.client.key, certs.client.cert))).toBe('SERVING');
  });

  it('refuses a client without a certificate, one with a certificate of another CA, and plain text', async () => {
    expect(await grpcHealth(grpcPort, credentials.createSsl(certs.ca.cert))).toBe('UNAVAILABLE');
    expect(await grpcHealth(grpcPort, credentials.createSsl(certs.ca.cert, certs.otherClient.key, certs.otherClient.cert))).toBe('UNAVAILABLE');
    expect(await grpcHealth(grpcPort, credentials.createInsecure())).toBe('UNAVAILABLE');
  });

  it('serves its probes over HTTPS without a client certificate', async () => {
    expect((await getJsonOverTls(`https://localhost:${httpPort}/health/live`, { ca: certs.ca.cert })).status).toBe(200);
    await expect(fetch(`http://127.0.0.1:${httpPort}/health/live`, { signal: AbortSignal.timeout(5_000) })).rejects.toThrow();
  });

  it('stops at start-up when mutual TLS is asked for without a server certificate', async () => {
    const failing = spawnService('grpc-serving', { ...env, GRPC_PORT: String(await freePort()), HTTP_PORT: String(await freePort()), TLS_CERT_FILE: '', TLS_KEY_FILE: '' });
    const { code } = await failing.exited;
    expect(code).toBe(2);
    expect(failing.output()).toMatch(/GRPC_CLIENT_CA_FILE: needs TLS_CERT_FILE and TLS_KEY_FILE/);
    expect(failing.output()).not.toContain(certs.dir);
  });
});
