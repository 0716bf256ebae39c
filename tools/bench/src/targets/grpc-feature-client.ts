import { join } from 'node:path';
import { Client, credentials, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { loadSync, type MethodDefinition } from '@grpc/proto-loader';
import { grpcFeatureRequest, type GrpcFeatureRequest } from './feature-request';

const SERVICE = 'bnpl.featurestore.v1.FeatureServingService';
const DEADLINE_MS = 10_000;

/** The part of `GetOnlineFeaturesResponse` the benchmark checks. */
interface GrpcFeatureResponse {
  readonly feature_names: readonly string[];
  readonly rows: ReadonlyArray<{ readonly values: readonly unknown[] }>;
}

/**
 * Calls FeatureServingService.GetOnlineFeatures over one HTTP/2 channel (gRPC multiplexes every call on
 * it), with the proto loaded the way grpc-serving loads it.
 */
export class GrpcFeatureClient {
  readonly #client: Client;
  readonly #method: MethodDefinition<GrpcFeatureRequest, GrpcFeatureResponse>;

  constructor(
    address: string,
    protoDir: string,
    private readonly merchants: number,
  ) {
    const definition = loadSync(join(protoDir, 'bnpl/featurestore/v1/serving.proto'), {
      keepCase: true,
      longs: String,
      enums: String,
      defaults: true,
      oneofs: true,
      includeDirs: [protoDir],
    });
    const service = definition[SERVICE];
    if (!service || !('GetOnlineFeatures' in service)) throw new Error(`${SERVICE}.GetOnlineFeatures is not in the proto under ${protoDir}`);
    this.#method = service.GetOnlineFeatures as MethodDefinition<GrpcFeatureRequest, GrpcFeatureResponse>;
    this.#client = new Client(address, credentials.createInsecure());
  }

  /** One call for these customers; rejects unless the status is OK with one row per customer. */
  get(customerIds: readonly number[]): Promise<void> {
    const request = grpcFeatureRequest(customerIds, this.merchants);
    const method = this.#method;
    return new Promise((resolve, reject) => {
      this.#client.makeUnaryRequest(
        method.path,
        method.requestSerialize,
        method.responseDeserialize,
        request,
        new Metadata(),
        { deadline: Date.now() + DEADLINE_MS },
        (error: ServiceError | null, response?: GrpcFeatureResponse) => {
          if (error) reject(new Error(`gRPC ${status[error.code]}: ${error.details}`));
          else if (response?.rows.length !== customerIds.length) reject(new Error(`gRPC OK with ${response?.rows.length ?? 0} rows, expected ${customerIds.length}`));
          else resolve();
        },
      );
    });
  }

  close(): void {
    this.#client.close();
  }
}
