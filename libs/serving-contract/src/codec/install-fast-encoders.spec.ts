import { loadSync } from '@grpc/proto-loader';
import { resolve } from 'node:path';
import { SERVING_LOADER_OPTIONS, SERVING_PROTO_FILE, type FeatureServingServiceDefinition } from '../index';
import { serializeGetOnlineFeaturesResponse } from './get-online-features-response.encoder';
import { installFastEncoders } from './install-fast-encoders';

describe('installFastEncoders', () => {
  const load = () => loadSync(SERVING_PROTO_FILE, { ...SERVING_LOADER_OPTIONS, includeDirs: [resolve(__dirname, '../../../../proto')] });

  it("replaces GetOnlineFeatures' response serializer, and only it", () => {
    const definition = load();
    const service = definition['bnpl.featurestore.v1.FeatureServingService'] as unknown as FeatureServingServiceDefinition;
    const { GetCatalog, GetOnlineFeatures } = service;
    const [catalogSerialize, requestDeserialize] = [GetCatalog.responseSerialize, GetOnlineFeatures.requestDeserialize];
    installFastEncoders(definition);
    expect(service.GetOnlineFeatures.responseSerialize).toBe(serializeGetOnlineFeaturesResponse);
    expect(service.GetCatalog.responseSerialize).toBe(catalogSerialize);
    expect(service.GetOnlineFeatures.requestDeserialize).toBe(requestDeserialize);
  });

  it('refuses a definition without the service', () => {
    expect(() => installFastEncoders({})).toThrow(/FeatureServingService/);
  });
});
