import type { PackageDefinition } from '@grpc/proto-loader';
import type { FeatureServingServiceDefinition } from '../generated/bnpl/featurestore/v1/FeatureServingService';
import { FEATURE_SERVING_SERVICE, SERVING_PACKAGE } from '../serving-proto';
import { encodeGetOnlineFeaturesResponse } from './get-online-features-response.encoder';

/**
 * Makes a server loaded from `definition` (the serving proto, loaded with SERVING_LOADER_OPTIONS) encode
 * GetOnlineFeatures responses with `encodeGetOnlineFeaturesResponse` instead of the generic serializer:
 * same bytes, a fraction of the time. Call it before the definition is given to the server (NestJS:
 * `onLoadPackageDefinition`). Throws if the definition has no FeatureServingService.
 */
export function installFastEncoders(definition: PackageDefinition): void {
  const servicePath = `${SERVING_PACKAGE}.${FEATURE_SERVING_SERVICE}`;
  const service = definition[servicePath] as Partial<FeatureServingServiceDefinition> | undefined;
  if (!service?.GetOnlineFeatures) throw new Error(`${servicePath} is not in the package definition`);
  service.GetOnlineFeatures.responseSerialize = encodeGetOnlineFeaturesResponse;
}
