/** Examples shown in the OpenAPI document (a unit test checks each against its schema). */

export const ONLINE_FEATURES_REQUEST_EXAMPLES = {
  service: {
    summary: 'A feature service, with the purchase being decided',
    value: {
      feature_service: 'credit_decision_v1',
      entities: [
        { customer_id: '1', merchant_id: '10' },
        { customer_id: '2', merchant_id: '10' },
      ],
      request_context: { requested_amount: { amount_minor: '12000', currency: 'EUR' } },
    },
  },
  features: {
    summary: 'Chosen features',
    value: { features: ['customer_exposure:*', 'customer_profile:kyc_level'], entities: [{ customer_id: '1' }, { customer_id: '2' }] },
  },
};

export const FEATURES_RESPONSE_EXAMPLE = {
  feature_names: ['customer_exposure:outstanding_balance', 'customer_profile:kyc_level'],
  results: [
    {
      entity_row: { customer_id: '1' },
      values: [
        { value: { amount_minor: '20000', currency: 'EUR' }, status: 'PRESENT', event_time: '2025-03-15T11:59:00.000Z' },
        { value: 2, status: 'PRESENT', event_time: '2025-03-15T06:00:00.000Z' },
      ],
    },
    {
      entity_row: { customer_id: '999999' },
      values: [
        { value: { amount_minor: '0', currency: 'XXX' }, status: 'MISSING', event_time: null },
        { value: 0, status: 'MISSING', event_time: null },
      ],
    },
  ],
};

export const FEAST_REQUEST_EXAMPLES = {
  features: {
    summary: "Features for three customers, as Feast's remote online store (0.64+) sends them",
    value: {
      entities: { customer_id: [1, 2, 999999] },
      features: ['customer_exposure:active_plans_count', 'customer_profile:kyc_level'],
      full_feature_names: false,
      include_feature_view_version_metadata: false,
    },
  },
  service: {
    summary: 'A feature service, with request data',
    value: {
      feature_service: 'credit_decision_v1',
      entities: { customer_id: ['1', '2'], merchant_id: ['10', '10'], requested_amount: [{ amount_minor: '12000', currency: 'EUR' }, { amount_minor: '12000', currency: 'EUR' }] },
    },
  },
};

export const FEAST_RESPONSE_EXAMPLE = {
  metadata: { feature_names: ['customer_id', 'active_plans_count', 'kyc_level'] },
  results: [
    { values: [1, 2, 999999], statuses: ['PRESENT', 'PRESENT', 'PRESENT'], event_timestamps: ['1970-01-01T00:00:00Z', '1970-01-01T00:00:00Z', '1970-01-01T00:00:00Z'] },
    { values: [1, 0, null], statuses: ['PRESENT', 'PRESENT', 'NOT_FOUND'], event_timestamps: ['2025-03-15T11:59:00Z', '2025-03-15T11:59:00Z', '1970-01-01T00:00:00Z'] },
    { values: [2, 1, null], statuses: ['PRESENT', 'OUTSIDE_MAX_AGE', 'NOT_FOUND'], event_timestamps: ['2025-03-15T06:00:00Z', '2025-03-13T06:00:00Z', '1970-01-01T00:00:00Z'] },
  ],
};
