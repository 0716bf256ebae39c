/**
 * The gRPC baseline: a plain @grpc/grpc-js server registering grpc-serving's GetOnlineFeatures method with
 * identity (de)serializers, answering each request with the bytes grpc-serving answered the same request
 * with. It costs what grpc-js alone costs (HTTP/2, framing, metadata, status) and nothing of the feature
 * store, so grpc-serving's throughput is judged as a share of it, on the same machine in the same run.
 *
 * Environment: BASELINE_PORT, and BASELINE_ANSWERS, a JSON file of `[request, response]` pairs of base64
 * protobuf bytes. A request not in the file is answered NOT_FOUND.
 */
import { readFileSync } from 'node:fs';
import { Server, ServerCredentials, status, type sendUnaryData, type ServerUnaryCall, type ServiceDefinition } from '@grpc/grpc-js';
import { GET_ONLINE_FEATURES_PATH } from '../targets/grpc-raw-client';

const port = Number(process.env.BASELINE_PORT);
const answersFile = process.env.BASELINE_ANSWERS;
if (!Number.isInteger(port) || !answersFile) {
  process.stderr.write('grpc-baseline: set BASELINE_PORT and BASELINE_ANSWERS\n');
  process.exit(2);
}

// Keyed by the request's bytes as a latin1 string: one map lookup per call, far below what grpc-js costs.
const answers = new Map<string, Buffer>(
  (JSON.parse(readFileSync(answersFile, 'utf8')) as Array<[string, string]>).map(([request, response]) => [Buffer.from(request, 'base64').toString('latin1'), Buffer.from(response, 'base64')]),
);
const identity = (bytes: Buffer) => bytes;
const definition: ServiceDefinition = {
  GetOnlineFeatures: {
    path: GET_ONLINE_FEATURES_PATH,
    requestStream: false,
    responseStream: false,
    requestSerialize: identity,
    requestDeserialize: identity,
    responseSerialize: identity,
    responseDeserialize: identity,
    originalName: 'getOnlineFeatures',
  },
};

const server = new Server();
server.addService(definition, {
  GetOnlineFeatures: (call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>) => {
    const answer = answers.get(call.request.toString('latin1'));
    if (answer) callback(null, answer);
    else callback({ code: status.NOT_FOUND, details: 'grpc-baseline: no captured answer for this request' });
  },
});
server.bindAsync(`127.0.0.1:${port}`, ServerCredentials.createInsecure(), (error) => {
  if (error) {
    process.stderr.write(`grpc-baseline: ${error.message}\n`);
    process.exit(1);
  }
  process.stdout.write(`grpc-baseline listening on 127.0.0.1:${port} with ${answers.size} answers\n`);
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => server.tryShutdown(() => process.exit(0)));
