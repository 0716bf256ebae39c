import { loadSync } from '@grpc/proto-loader';
import type { FeatureServingServiceDefinition } from './generated/bnpl/featurestore/v1/FeatureServingService';

// Where the serving proto is and how to load it so that the generated types hold.

/** The serving proto, relative to the proto root (the workspace's `proto/`, or an image's copy of it). */
export const SERVING_PROTO_FILE = 'bnpl/featurestore/v1/serving.proto';

/** The protobuf package of every message and service here. */
export const SERVING_PACKAGE = 'bnpl.featurestore.v1';

/** The service name, as `@GrpcMethod` and clients name it. */
export const FEATURE_SERVING_SERVICE = 'FeatureServingService';

/**
 * `@grpc/proto-loader` options that yield exactly the shapes the generated types describe (they mirror the
 * generator's flags). A server or client loading the proto with other options gets other shapes than its
 * types claim.
 */
export const SERVING_LOADER_OPTIONS = { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true } as const;

/**
 * FeatureServingService's method definitions (serializers included), loaded from the serving proto under
 * `protoRoot` with SERVING_LOADER_OPTIONS: what a client or a server of the generated types works with.
 */
export function loadFeatureServingService(protoRoot: string): FeatureServingServiceDefinition {
  const definition = loadSync(SERVING_PROTO_FILE, { ...SERVING_LOADER_OPTIONS, includeDirs: [protoRoot] });
  return definition[`${SERVING_PACKAGE}.${FEATURE_SERVING_SERVICE}`] as unknown as FeatureServingServiceDefinition;
}
