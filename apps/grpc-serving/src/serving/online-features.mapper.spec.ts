import { bnplCatalog, FeatureStoreError } from '@bnpl/feature-definitions';
import { describeCatalog, type GetOnlineFeaturesResult } from '@bnpl/serving';
import { join } from 'node:path';
import { loadFeatureServingService, type GetOnlineFeaturesRequest__Output } from '@bnpl/serving-contract';
import { encodeOnlineFeaturesResponse, servingSchemaOf, toGetOnlineFeaturesCommand } from './online-features.mapper';

const schema = servingSchemaOf(describeCatalog(bnplCatalog));
const request = (fields: Partial<GetOnlineFeaturesRequest__Output>): GetOnlineFeaturesRequest__Output => ({ entities: [], request_context: {}, ...fields });
const row = (...keys: Array<[string, string]>) => ({ keys: keys.map(([join_key, id]) => ({ join_key, id })) });

function rejection(fn: () => unknown): FeatureStoreError {
  try {
    fn();
  } catch (error) {
    if (error instanceof FeatureStoreError) return error;
    throw error;
  }
  throw new Error('expected a FeatureStoreError');
}

describe('toGetOnlineFeaturesCommand', () => {
  it('maps a feature service request with rows and a money request input', () => {
    const command = toGetOnlineFeaturesCommand(
      request({
        feature_service: 'credit_decision_v1',
        selection: 'feature_service',
        entities: [row(['customer_id', '1'], ['merchant_id', '10']), row(['merchant_id', '11'], ['customer_id', '2'])],
        request_context: { requested_amount: { money_value: { amount_minor: '5000', currency: 'EUR' }, kind: 'money_value' } },
      }),
      schema,
    );
    expect(command).toEqual({
      featureService: 'credit_decision_v1',
      entityRows: [
        { customer_id: '1', merchant_id: '10' },
        { customer_id: '2', merchant_id: '11' },
      ],
      requestContext: { requested_amount: { amountMinor: 5000, currency: 'EUR' } },
    });
  });

  it('maps a feature list; no request_context gives no requestContext', () => {
    const command = toGetOnlineFeaturesCommand(request({ features: { refs: ['customer_exposure:*'] }, selection: 'features', entities: [row(['customer_id', '7'])] }), schema);
    expect(command).toEqual({ features: ['customer_exposure:*'], entityRows: [{ customer_id: '7' }] });
  });

  it('leaves ids, counts and names to the use case (validated once, as for REST)', () => {
    const command = toGetOnlineFeaturesCommand(request({ feature_service: 'nope', entities: [row(['customer_id', 'abc']), row()] }), schema);
    expect(command.entityRows).toEqual([{ customer_id: 'abc' }, {}]);
  });

  it.each([
    ['neither selection', request({ entities: [row(['customer_id', '1'])] }), 'INVALID_FEATURE_SELECTION', /neither/],
    ['both selections', request({ feature_service: 'credit_decision_v1', features: { refs: ['customer_exposure:*'] } }), 'INVALID_FEATURE_SELECTION', /not both/],
    ['an unknown join key', request({ feature_service: 'x', entities: [row(['customer_id', '1']), row(['account_id', '1'])] }), 'INVALID_ENTITY_ROW', /row 1: unknown join key "account_id"/],
    ['a join key twice in a row', request({ feature_service: 'x', entities: [row(['customer_id', '1'], ['customer_id', '2'])] }), 'INVALID_ENTITY_ROW', /row 0: join key customer_id given more than once/],
    [
      'an int64 input beyond the exact range',
      request({ feature_service: 'x', request_context: { n: { int64_value: '9223372036854775807', kind: 'int64_value' } } }),
      'INVALID_REQUEST_INPUT',
      /"n"/,
    ],
    ['an input without a value', request({ feature_service: 'x', request_context: { requested_amount: {} } }), 'INVALID_REQUEST_INPUT', /"requested_amount": no value/],
  ])('rejects %s', (_what, bad, reason, message) => {
    expect(rejection(() => toGetOnlineFeaturesCommand(bad, schema))).toMatchObject({ reason, message: expect.stringMatching(message) });
  });
});

describe('encodeOnlineFeaturesResponse', () => {
  // Read back as a client does: the generic decoder, int64 as decimal strings, enums by name.
  const rpc = loadFeatureServingService(join(__dirname, '../../../../proto')).GetOnlineFeatures;

  const stored = new Date('2025-03-01T10:00:00.250Z');
  const now = new Date('2025-03-01T12:00:00Z');
  const result: GetOnlineFeaturesResult = {
    feature_names: ['customer_exposure:outstanding_balance', 'customer_exposure:active_plans_count', 'customer_exposure:utilization', 'customer_profile:country', 'credit_request:exposure_after_order'],
    results: [
      {
        entityRow: { customer_id: '1' },
        values: [
          { value: { amountMinor: 20000, currency: 'EUR' }, status: 'PRESENT', eventTime: stored },
          { value: 1, status: 'PRESENT', eventTime: stored },
          { value: 1, status: 'DEFAULT', eventTime: stored },
          { value: 'DE', status: 'STALE', eventTime: new Date('2025-02-01T00:00:00Z') },
          { value: { amountMinor: 25000, currency: 'EUR' }, status: 'PRESENT', eventTime: now },
        ],
      },
      {
        entityRow: { customer_id: '999' },
        values: [
          { value: { amountMinor: 0, currency: 'XXX' }, status: 'MISSING', eventTime: null },
          { value: 0, status: 'MISSING', eventTime: null },
          { value: 1, status: 'MISSING', eventTime: null },
          { value: 'ZZ', status: 'MISSING', eventTime: null },
          { value: { amountMinor: 5000, currency: 'EUR' }, status: 'PRESENT', eventTime: now },
        ],
      },
    ],
  };

  it('types each value by its feature, names statuses, stamps event times and leaves MISSING unset', () => {
    const response = rpc.responseDeserialize(encodeOnlineFeaturesResponse(result, schema));
    expect(response.feature_names).toEqual(result.feature_names);
    const storedTs = { seconds: '1740823200', nanos: 250_000_000 };
    const nowTs = { seconds: '1740830400', nanos: 0 };
    expect(response.rows).toEqual([
      {
        values: [
          { value: { money_value: { amount_minor: '20000', currency: 'EUR' }, kind: 'money_value' }, status: 'FEATURE_STATUS_PRESENT', event_time: storedTs },
          { value: { int64_value: '1', kind: 'int64_value' }, status: 'FEATURE_STATUS_PRESENT', event_time: storedTs },
          // A DOUBLE that happens to be whole stays a double: the type comes from the catalog, not the value.
          { value: { double_value: 1, kind: 'double_value' }, status: 'FEATURE_STATUS_DEFAULT', event_time: storedTs },
          { value: { string_value: 'DE', kind: 'string_value' }, status: 'FEATURE_STATUS_STALE', event_time: { seconds: '1738368000', nanos: 0 } },
          { value: { money_value: { amount_minor: '25000', currency: 'EUR' }, kind: 'money_value' }, status: 'FEATURE_STATUS_PRESENT', event_time: nowTs },
        ],
      },
      {
        values: [
          { value: { money_value: { amount_minor: '0', currency: 'XXX' }, kind: 'money_value' }, status: 'FEATURE_STATUS_MISSING', event_time: null },
          { value: { int64_value: '0', kind: 'int64_value' }, status: 'FEATURE_STATUS_MISSING', event_time: null },
          { value: { double_value: 1, kind: 'double_value' }, status: 'FEATURE_STATUS_MISSING', event_time: null },
          { value: { string_value: 'ZZ', kind: 'string_value' }, status: 'FEATURE_STATUS_MISSING', event_time: null },
          { value: { money_value: { amount_minor: '5000', currency: 'EUR' }, kind: 'money_value' }, status: 'FEATURE_STATUS_PRESENT', event_time: nowTs },
        ],
      },
    ]);
  });

  it('fails loudly (an internal error) on a feature the catalog does not have', () => {
    expect(() => encodeOnlineFeaturesResponse({ feature_names: ['nope:nope'], results: [] }, schema)).toThrow(/nope:nope/);
  });

  it('fails loudly (an internal error) on a value of another type than its feature', () => {
    const wrong: GetOnlineFeaturesResult = { feature_names: ['customer_exposure:active_plans_count'], results: [{ entityRow: { customer_id: '1' }, values: [{ value: 'one', status: 'PRESENT', eventTime: stored }] }] };
    expect(() => encodeOnlineFeaturesResponse(wrong, schema)).toThrow(TypeError);
  });
});
