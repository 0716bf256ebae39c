import { join } from 'node:path';
import { credentials, makeGenericClientConstructor, Server, status, type ChannelCredentials, type ServiceDefinition, type ServiceError } from '@grpc/grpc-js';
import { ConfigError, loadServerTls } from '@bnpl/platform';
import { generateTestCertificates, type TestCertificates } from '@bnpl/testing';
import { grpcServerCredentials } from './grpc-server-credentials';

/** A one-method service with JSON bodies: enough of grpc-js to run a handshake and a call for real. */
const json = { serialize: (value: unknown) => Buffer.from(JSON.stringify(value)), deserialize: (bytes: Buffer) => JSON.parse(bytes.toString()) as unknown };
const service: ServiceDefinition = {
  Echo: { path: '/test.v1.EchoService/Echo', requestStream: false, responseStream: false, requestSerialize: json.serialize, requestDeserialize: json.deserialize, responseSerialize: json.serialize, responseDeserialize: json.deserialize },
};
const EchoClient = makeGenericClientConstructor(service, 'EchoService');

let certs: TestCertificates;
beforeAll(() => {
  certs = generateTestCertificates();
});
afterAll(() => certs?.remove());

async function serve(clientCaFile?: string): Promise<{ port: number; server: Server }> {
  const server = new Server();
  server.addService(service, { Echo: (call: { request: unknown }, callback: (error: null, value: unknown) => void) => callback(null, call.request) });
  const tls = loadServerTls('grpc-serving', { TLS_CERT_FILE: certs.server.certFile, TLS_KEY_FILE: certs.server.keyFile });
  const port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', grpcServerCredentials(tls, clientCaFile), (error, p) => (error ? reject(error) : resolve(p))));
  return { port, server };
}

/** One Echo call: 'OK' or the status code name it failed with. */
function echo(port: number, channel: ChannelCredentials): Promise<string> {
  // The certificate names localhost (and 127.0.0.1): checked by name, as a client with a DNS name would.
  const client = new EchoClient(`127.0.0.1:${port}`, channel, { 'grpc.ssl_target_name_override': 'localhost' });
  return new Promise((resolve) =>
    client.makeUnaryRequest('/test.v1.EchoService/Echo', json.serialize, json.deserialize, { hello: 'tls' }, { deadline: Date.now() + 10_000 }, (error: ServiceError | null) => {
      client.close();
      resolve(error ? status[error.code] : 'OK');
    }),
  );
}

describe('gRPC over TLS (grpcServerCredentials)', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => ({ server, port } = await serve()));
  afterAll(() => server?.forceShutdown());

  it('answers a client that trusts the test CA, without a client certificate', async () => {
    expect(await echo(port, credentials.createSsl(certs.ca.cert))).toBe('OK');
  });

  it('refuses plain text and a client that trusts another CA', async () => {
    expect(await echo(port, credentials.createInsecure())).toBe('UNAVAILABLE');
    expect(await echo(port, credentials.createSsl(certs.otherCa.cert))).toBe('UNAVAILABLE');
  });
});

describe('gRPC over mutual TLS (GRPC_CLIENT_CA_FILE)', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => ({ server, port } = await serve(certs.ca.certFile)));
  afterAll(() => server?.forceShutdown());

  it('answers a client whose certificate the client CA signed', async () => {
    expect(await echo(port, credentials.createSsl(certs.ca.cert, certs.client.key, certs.client.cert))).toBe('OK');
  });

  it('refuses a client without a certificate, with one of another CA, and plain text', async () => {
    expect(await echo(port, credentials.createSsl(certs.ca.cert))).toBe('UNAVAILABLE');
    expect(await echo(port, credentials.createSsl(certs.ca.cert, certs.otherClient.key, certs.otherClient.cert))).toBe('UNAVAILABLE');
    expect(await echo(port, credentials.createInsecure())).toBe('UNAVAILABLE');
  });

  it('stops at start-up when the client CA file cannot be read, naming the variable only', () => {
    const tls = loadServerTls('grpc-serving', { TLS_CERT_FILE: certs.server.certFile, TLS_KEY_FILE: certs.server.keyFile });
    const missing = join(certs.dir, 'absent-ca.crt');
    expect(() => grpcServerCredentials(tls, missing)).toThrow(ConfigError);
    expect(() => grpcServerCredentials(tls, missing)).toThrow(/GRPC_CLIENT_CA_FILE: names no file \(ENOENT\)/);
    expect(() => grpcServerCredentials(tls, missing)).not.toThrow(new RegExp(certs.dir));
  });
});
