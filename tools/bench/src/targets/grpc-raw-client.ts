import { join } from 'node:path';
import { Client, credentials, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { loadSync, type MethodDefinition } from '@grpc/proto-loader';
import { grpcFeatureRequest } from './feature-request';

/** The method every gRPC scenario calls, as it travels in the HTTP/2 `:path`. */
export const GET_ONLINE_FEATURES_PATH = '/bnpl.featurestore.v1.FeatureServingService/GetOnlineFeatures';

/** The protobuf bytes of the GetOnlineFeatures request for these customers (proto loaded as grpc-serving loads it). */
export function encodeGrpcFeatureRequest(customerIds: readonly number[], merchants: number): Buffer {
  // The workspace's proto/ by path, not through @bnpl/testing: the gRPC baseline imports this file and
  // should start without loading the test harness.
  const protoDir = join(__dirname, '../../../../proto');
  const definition = loadSync(join(protoDir, 'bnpl/featurestore/v1/serving.proto'), { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true, includeDirs: [protoDir] });
  const method = (definition['bnpl.featurestore.v1.FeatureServingService'] as Record<string, MethodDefinition<unknown, unknown>>).GetOnlineFeatures;
  return method.requestSerialize(grpcFeatureRequest(customerIds, merchants));
}

const identity = (bytes: Buffer) => bytes;

/**
 * One unary call of GetOnlineFeatures with the request's bytes as they are, resolving with the response's
 * bytes as they came (no protobuf on either side): what a byte-for-byte baseline is given to serve.
 */
export function callGetOnlineFeaturesRaw(address: string, request: Buffer, headers: Readonly<Record<string, string>> = {}, deadlineMs = 10_000): Promise<Buffer> {
  const client = new Client(address, credentials.createInsecure());
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(headers)) metadata.set(key, value);
  return new Promise<Buffer>((resolve, reject) => {
    client.makeUnaryRequest(GET_ONLINE_FEATURES_PATH, identity, identity, request, metadata, { deadline: Date.now() + deadlineMs }, (error: ServiceError | null, response?: Buffer) => {
      if (error) reject(new Error(`gRPC ${status[error.code]}: ${error.details}`));
      else if (!response) reject(new Error('gRPC OK without a response'));
      else resolve(response);
    });
  }).finally(() => client.close());
}
