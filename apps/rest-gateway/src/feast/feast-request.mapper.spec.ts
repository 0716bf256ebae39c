import { bnplCatalog, money } from '@bnpl/feature-definitions';
import { describeCatalog } from '@bnpl/serving';
import { InvalidRequestBodyError } from '../errors/invalid-request-body.error';
import { parseBody } from '../http/parse-body';
import { toFeastQuery } from './feast-request.mapper';
import { feastRequestSchema } from './feast.schema';

const schema = feastRequestSchema(describeCatalog(bnplCatalog));
const JOIN_KEYS = ['customer_id', 'merchant_id'];
const query = (body: { entities: object } & Record<string, unknown>) => toFeastQuery(parseBody(schema, body), Object.keys(body.entities), JOIN_KEYS);
const amount = { amount_minor: '5000', currency: 'EUR' };

function rejection(fn: () => unknown): InvalidRequestBodyError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidRequestBodyError);
    return error as InvalidRequestBodyError;
  }
  throw new Error('expected a rejection');
}

describe('Feast get-online-features request', () => {
  it("takes the body Feast's remote online store (0.64+) sends, the version metadata flag included", () => {
    const q = query({ entities: { customer_id: [1, 2] }, features: ['customer_profile:kyc_level'], full_feature_names: false, include_feature_view_version_metadata: true });
    expect(q.command).toEqual({ features: ['customer_profile:kyc_level'], entityRows: [{ customer_id: '1' }, { customer_id: '2' }] });
    expect(q.fullFeatureNames).toBe(false);
  });

  it('converts entity values to the declared INT64 type, keeping the columns in request order', () => {
    const q = query({ features: ['customer_profile:kyc_level'], entities: { merchant_id: ['10', 11, '0012'], customer_id: [1, '2', 3] } });
    expect(q.command.entityRows).toEqual([
      { merchant_id: '10', customer_id: '1' },
      { merchant_id: '11', customer_id: '2' },
      { merchant_id: '12', customer_id: '3' },
    ]);
    expect(q.keyColumns).toEqual([
      { name: 'merchant_id', ids: ['10', '11', '12'] },
      { name: 'customer_id', ids: ['1', '2', '3'] },
    ]);
  });

  it('reads repeated entity rows once and remembers where each request row is answered from', () => {
    const q = query({ features: ['customer_profile:kyc_level'], entities: { customer_id: [7, '7', 3, 7, '3', 9] } });
    expect(q.command.entityRows).toEqual([{ customer_id: '7' }, { customer_id: '3' }, { customer_id: '9' }]);
    expect(q.rowOf).toEqual([0, 0, 1, 0, 1, 2]);
    expect(q.keyColumns).toEqual([{ name: 'customer_id', ids: ['7', '7', '3', '7', '3', '9'] }]);
  });

  it('tells rows apart by every join key: a customer at two merchants is two rows', () => {
    const q = query({ features: ['customer_profile:kyc_level'], entities: { customer_id: [1, 1, 1], merchant_id: [10, 11, 10] } });
    expect(q.command.entityRows).toEqual([
      { customer_id: '1', merchant_id: '10' },
      { customer_id: '1', merchant_id: '11' },
    ]);
    expect(q.rowOf).toEqual([0, 1, 0]);
  });

  it('ignores unknown top-level fields and unknown entity columns, as Feast does', () => {
    const q = query({ features: ['customer_profile:kyc_level'], entities: { driver_id: [5, 6], customer_id: [1, 2] }, project: 'x', query_string: 'y' });
    expect(q.command.entityRows).toEqual([{ customer_id: '1' }, { customer_id: '2' }]);
    expect(q.keyColumns.map((c) => c.name)).toEqual(['customer_id']);
  });

  it('takes request data columns in the REST money shape as the request context, and null as an absent selection', () => {
    const q = query({ features: null, feature_service: 'credit_decision_v1', entities: { customer_id: [1, 2], merchant_id: [10, 10], requested_amount: [amount, { amount_minor: 5000, currency: 'EUR' }] }, full_feature_names: true });
    expect(q.command).toEqual({
      featureService: 'credit_decision_v1',
      entityRows: [
        { customer_id: '1', merchant_id: '10' },
        { customer_id: '2', merchant_id: '10' },
      ],
      requestContext: { requested_amount: money(5000, 'EUR') },
    });
    expect(q.keyColumns.map((c) => c.name)).toEqual(['customer_id', 'merchant_id']);
    expect(q.fullFeatureNames).toBe(true);
  });

  it('prefers the feature service when both a service and features are given, as Feast does', () => {
    const q = query({ feature_service: 'credit_decision_v1', features: ['customer_profile:kyc_level'], entities: { customer_id: [1] } });
    expect(q.command).toEqual({ featureService: 'credit_decision_v1', entityRows: [{ customer_id: '1' }] });
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
      query({ feature_service: 'credit_decision_v1', entities: { customer_id: [1, 2, 3], requested_amount: [amount, amount, { amount_minor: '1', currency: 'EUR' }] } }),
    );
    expect(error.message).toMatch(/^entities\.requested_amount: request data must be the same in every entity row .* row 2 differs from row 0$/);
  });

  it.each([
    ['a boolean entity value', { features: ['customer_profile:kyc_level'], entities: { customer_id: [1, true] } }, /entities\.customer_id\[1\]: expected an INT64 entity value: an integer, or a decimal string such as "42", got true \(boolean\)/],
    ['a fractional entity value', { features: ['customer_profile:kyc_level'], entities: { customer_id: [1.5] } }, /entities\.customer_id\[0\]: expected an INT64 entity value/],
    ['a non-numeric entity string', { features: ['customer_profile:kyc_level'], entities: { customer_id: ['abc'] } }, /entities\.customer_id\[0\]: expected an INT64 entity value: an integer, or a decimal string such as "42", got "abc" \(string\)/],
    // As a client's JSON arrives: the number already rounded to 2^53 by the parser.
    ['an id beyond 2^53', JSON.parse('{"features":["customer_profile:kyc_level"],"entities":{"customer_id":[1,9007199254740993]}}') as { entities: object }, /entities\.customer_id\[1\]: 9007199254740992 is beyond 2\^53-1/],
    ['a column over 1000 rows', { features: ['customer_profile:kyc_level'], entities: { customer_id: Array.from({ length: 1001 }, (_, i) => i + 1) } }, /entities\.customer_id: at most 1000 entity rows per request, got 1001/],
    ['full_feature_names that is not a boolean', { features: ['customer_profile:kyc_level'], entities: { customer_id: [1] }, full_feature_names: 'yes' }, /full_feature_names: Invalid input: expected boolean/],
    ['money in the old camelCase shape', { feature_service: 'credit_decision_v1', entities: { customer_id: [1], requested_amount: [{ amountMinor: 5000, currency: 'EUR' }] } }, /entities\.requested_amount\[0\]: unknown field "amountMinor"/],
  ])('rejects %s, naming it', (_what, body, message) => {
    expect(rejection(() => query(body)).message).toMatch(message);
  });
});
