import { resolve } from 'node:path';
import {
  loadFeatureServingService,
  type GetOnlineFeaturesRequest__Output,
  type GetOnlineFeaturesResponse,
  type GetOnlineFeaturesResponse__Output,
} from './index';

// The generated types are only true for a loader using SERVING_LOADER_OPTIONS: this proves the options
// produce the shapes the __Output types describe (int64 as strings, enum names, oneof names, defaults).
describe('SERVING_LOADER_OPTIONS', () => {
  const service = loadFeatureServingService(resolve(__dirname, '../../../proto'));

  it('names every rpc the generated handler type declares', () => {
    expect(Object.keys(service).sort()).toEqual(['GetCatalog', 'GetFeatureService', 'GetOnlineFeatures']);
  });

  it('decodes a request to GetOnlineFeaturesRequest__Output', () => {
    const rpc = service.GetOnlineFeatures;
    const decoded = rpc.requestDeserialize(
      rpc.requestSerialize({ feature_service: 'credit_decision_v1', request_context: { requested_amount: { money_value: { amount_minor: 12000, currency: 'EUR' } } } }),
    );
    expect(decoded).toEqual<GetOnlineFeaturesRequest__Output>({
      feature_service: 'credit_decision_v1',
      selection: 'feature_service',
      entities: [],
      request_context: { requested_amount: { money_value: { amount_minor: '12000', currency: 'EUR' }, kind: 'money_value' } },
    });
  });

  it('decodes a response to GetOnlineFeaturesResponse__Output', () => {
    const rpc = service.GetOnlineFeatures;
    const response: GetOnlineFeaturesResponse = {
      feature_names: ['customer_exposure:active_plans_count'],
      rows: [{ values: [{ value: { int64_value: 2 }, status: 'FEATURE_STATUS_PRESENT', event_time: { seconds: 1_700_000_000, nanos: 5_000_000 } }] }],
    };
    expect(rpc.responseDeserialize(rpc.responseSerialize(response))).toEqual<GetOnlineFeaturesResponse__Output>({
      feature_names: ['customer_exposure:active_plans_count'],
      rows: [{ values: [{ value: { int64_value: '2', kind: 'int64_value' }, status: 'FEATURE_STATUS_PRESENT', event_time: { seconds: '1700000000', nanos: 5_000_000 } }] }],
    });
  });
});
