import { bnplCatalog } from '@bnpl/feature-definitions';
import { describeCatalog } from '@bnpl/serving';
import { InvalidRequestBodyError } from '../errors/invalid-request-body.error';
import { parseBody } from '../http/parse-body';
import { toFeastQuery } from './feast-request.mapper';
import { feastRequestSchema } from './feast.schema';

const schema = feastRequestSchema(describeCatalog(bnplCatalog));
const JOIN_KEYS = ['customer_id', 'merchant_id'];
const query = (body: { entities: object } & Record<string, unknown>) => toFeastQuery(parseBody(schema, body), Object.keys(body.entities), JOIN_KEYS);
const amount = { amountMinor: 5000, currency: 'EUR' };

function rejection(fn: () => unknown): InvalidRequestBodyError {
  try {
    fn();
  } catch (error) {
    return error as InvalidRequestBodyError;
  }
  throw new Error('expected a rejection');
}

describe('Feast get-online-features request', () => {
  it('turns entity columns into rows, ids as decimal strings, keeping the columns as given', () => {
    const q = query({ features: ['customer_profile:kyc_level'], entities: { merchant_id: ['10', 10, 11], customer_id: [1, '2', 3] } });
    expect(q.command).toEqual({
      features: ['customer_profile:kyc_level'],
      entityRows: [
        { merchant_id: '10', customer_id: '1' },
        { merchant_id: '10', customer_id: '2' },
        { merchant_id: '11', customer_id: '3' },
      ],
    });
    expect(q.keyColumns).toEqual([
      { name: 'merchant_id', values: ['10', 10, 11] },
      { name: 'customer_id', values: [1, '2', 3] },
    ]);
    expect(q.fullFeatureNames).toBe(false);
  });

  it('takes request data columns as the request context, and null as an absent selection', () => {
    const q = query({ features: null, feature_service: 'credit_decision_v1', entities: { customer_id: [1, 2], merchant_id: [10, 10], requested_amount: [amount, amount] }, full_feature_names: true });
    expect(q.command).toEqual({
      featureService: 'credit_decision_v1',
      entityRows: [
        { customer_id: '1', merchant_id: '10' },
        { customer_id: '2', merchant_id: '10' },
      ],
      requestContext: { requested_amount: amount },
    });
    expect(q.keyColumns.map((c) => c.name)).toEqual(['customer_id', 'merchant_id']);
    expect(q.fullFeatureNames).toBe(true);
  });

  it('makes no rows of no columns, for the read path to reject as empty', () => {
    expect(query({ features: ['customer_profile:kyc_level'], entities: {} }).command.entityRows).toEqual([]);
  });

  it('rejects columns of different lengths, naming them', () => {
    const error = rejection(() => query({ features: ['customer_profile:kyc_level'], entities: { customer_id: [1, 2, 3], merchant_id: [10, 10] } }));
    expect(error.reason).toBe('INVALID_REQUEST_BODY');
    expect(error.message).toBe('entities: every column needs one value per entity row, but customer_id has 3 and merchant_id has 2');
  });

  it('rejects request data that differs between rows', () => {
    const error = rejection(() =>
      query({ feature_service: 'credit_decision_v1', entities: { customer_id: [1, 2, 3], requested_amount: [amount, amount, { amountMinor: 1, currency: 'EUR' }] } }),
    );
    expect(error.message).toMatch(/^entities\.requested_amount: request data must be the same in every entity row .* row 2 differs from row 0$/);
  });

  it.each([
    ['an unknown entity column', { features: ['customer_profile:kyc_level'], entities: { driver_id: [1] } }, /entities: unknown field "driver_id" \(known fields: customer_id, merchant_id, requested_amount\)/],
    ['an unknown field', { features: ['customer_profile:kyc_level'], entities: { customer_id: [1] }, project: 'x' }, /body: unknown field "project"/],
    // As a client's JSON arrives: the number already rounded to 2^53 by the parser.
    ['an id beyond 2^53', JSON.parse('{"features":["customer_profile:kyc_level"],"entities":{"customer_id":[1,9007199254740993]}}') as { entities: object }, /entities\.customer_id\[1\]: 9007199254740992 is beyond 2\^53-1/],
    ['a column over 1000 rows', { features: ['customer_profile:kyc_level'], entities: { customer_id: Array.from({ length: 1001 }, (_, i) => i + 1) } }, /entities\.customer_id: at most 1000 entity rows per request, got 1001/],
    ['full_feature_names that is not a boolean', { features: ['customer_profile:kyc_level'], entities: { customer_id: [1] }, full_feature_names: 'yes' }, /full_feature_names: Invalid input: expected boolean/],
  ])('rejects %s, naming it', (_what, body, message) => {
    expect(rejection(() => query(body)).message).toMatch(message);
  });
});
