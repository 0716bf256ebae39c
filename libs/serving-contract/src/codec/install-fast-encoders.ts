import type { PackageDefinition } from '@grpc/proto-loader';
import type { GetOnlineFeaturesResponse } from '../generated/bnpl/featurestore/v1/GetOnlineFeaturesResponse';
import type { FeatureServingServiceDefinition } from '../generated/bnpl/featurestore/v1/FeatureServingService';
import { FEATURE_SERVING_SERVICE, SERVING_PACKAGE } from '../serving-proto';
import { serializeGetOnlineFeaturesResponse } from './get-online-features-response.encoder';

/**
 * Makes a server loaded from `definition` (the serving proto, loaded with SERVING_LOADER_OPTIONS) encode
 * GetOnlineFeatures responses with `encodeGetOnlineFeaturesResponse` instead of the generic serializer
 * (same bytes, a fraction of the time), and send a response a handler encoded itself
 * (`encodeServedFeatures`) as it is. Call it before the definition is given to the server (NestJS:
 * `onLoadPackageDefinition`). Throws if the definition has no FeatureServingService.
 */
export function installFastEncoders(definition: PackageDefinition): void {
  const servicePath = `${SERVING_PACKAGE}.${FEATURE_SERVING_SERVICE}`;
  const service = definition[servicePath] as Partial<FeatureServingServiceDefinition> | undefined;
  if (!service?.GetOnlineFeatures) throw new Error(`${servicePath} is not in the package definition`);
  // The definition's type knows only response objects; the handler may also return encoded bytes.
  service.GetOnlineFeatures.responseSerialize = serializeGetOnlineFeaturesResponse as (response: GetOnlineFeaturesResponse) => Buffer;
}
