import { bnplCatalog } from '@bnpl/feature-definitions';
import { describeCatalog, MAX_ENTITY_ROWS } from '@bnpl/serving';
import { InvalidRequestBodyError } from '../errors/invalid-request-body.error';
import { parseBody } from '../http/parse-body';
import { toOnlineFeaturesCommand } from './online-features.mapper';
import { onlineFeaturesRequestSchema } from './online-features.schema';

const schema = onlineFeaturesRequestSchema(describeCatalog(bnplCatalog));
const parse = (body: unknown) => parseBody(schema, body);

function problemOf(body: unknown): string {
  try {
    parse(body);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidRequestBodyError);
    return (error as Error).message;
  }
  throw new Error('expected a rejection');
}

describe('POST /v1/features/online body', () => {
  it('maps a feature service request to the command, ids as decimal strings', () => {
    const command = toOnlineFeaturesCommand(
      parse({
        feature_service: 'credit_decision_v1',
        entities: [
          { customer_id: '1', merchant_id: 10 },
          { customer_id: 9007199254740991, merchant_id: '10' },
        ],
        request_context: { requested_amount: { amount_minor: '5000', currency: 'EUR' } },
      }),
    );
    expect(command).toEqual({
      featureService: 'credit_decision_v1',
      entityRows: [
        { customer_id: '1', merchant_id: '10' },
        { customer_id: '9007199254740991', merchant_id: '10' },
      ],
      requestContext: { requested_amount: { amountMinor: 5000, currency: 'EUR' } },
    });
  });

  it("takes money as gRPC's JSON mapping writes it, the amount as a string or an integer", () => {
    for (const amount_minor of ['12000', 12000]) {
      const command = toOnlineFeaturesCommand(parse({ feature_service: 'credit_decision_v1', entities: [{ customer_id: '1', merchant_id: '1' }], request_context: { requested_amount: { amount_minor, currency: 'EUR' } } }));
      expect(command.requestContext).toEqual({ requested_amount: { amountMinor: 12000, currency: 'EUR' } });
    }
  });

  it('maps a feature list without request context', () => {
    expect(toOnlineFeaturesCommand(parse({ features: ['customer_profile:*'], entities: [{ customer_id: '7' }] }))).toEqual({
      features: ['customer_profile:*'],
      entityRows: [{ customer_id: '7' }],
    });
  });

  it('leaves id form, selection and duplicates to the read path, which checks them for every edge', () => {
    const command = toOnlineFeaturesCommand(parse({ entities: [{ customer_id: '007' }, { customer_id: -4 }, { customer_id: '007' }] }));
    expect(command).toEqual({ entityRows: [{ customer_id: '007' }, { customer_id: '-4' }, { customer_id: '007' }] });
  });

  it.each([
    // As a client's JSON arrives: the number already rounded to 2^53 by the parser.
    ['an id beyond 2^53 as a JSON number', JSON.parse('{"features":["customer_profile:country"],"entities":[{"customer_id":9007199254740993}]}') as unknown, /entities\[0\]\.customer_id: 9007199254740992 is beyond 2\^53-1 .*send ids as decimal strings/],
    ['a fractional id', { features: ['customer_profile:country'], entities: [{ customer_id: 1.5 }] }, /entities\[0\]\.customer_id: 1\.5 is not an integer id/],
    ['an id of another type', { features: ['customer_profile:country'], entities: [{ customer_id: true }] }, /entities\[0\]\.customer_id: expected an id as a decimal string such as "42", got true \(boolean\)/],
    ['an unknown join key', { features: ['customer_profile:country'], entities: [{ customer_id: '1', shop_id: '2' }] }, /entities\[0\]: unknown field "shop_id" \(known fields: customer_id, merchant_id\)/],
    ['an unknown top-level field', { features: ['customer_profile:country'], entities: [{ customer_id: '1' }], entity_rows: [] }, /body: unknown field "entity_rows" \(known fields: feature_service, features, entities, request_context\)/],
    ['no entities', { features: ['customer_profile:country'], entities: [] }, /entities: give at least one entity row/],
    ['too many entities', { features: ['customer_profile:country'], entities: Array.from({ length: MAX_ENTITY_ROWS + 1 }, (_, i) => ({ customer_id: String(i + 1) })) }, /entities: at most 1000 entity rows per request, got 1001/],
    ['an empty feature list', { features: [], entities: [{ customer_id: '1' }] }, /features: give at least one feature/],
    ['a request input of the wrong type', { feature_service: 'credit_decision_v1', entities: [{ customer_id: '1' }], request_context: { requested_amount: 5000 } }, /request_context\.requested_amount: Invalid input: expected object, received number/],
    ['a bad currency', { feature_service: 'credit_decision_v1', entities: [{ customer_id: '1' }], request_context: { requested_amount: { amount_minor: '1', currency: 'eur' } } }, /request_context\.requested_amount\.currency: expected an ISO 4217 currency code such as "EUR"/],
    ['a fractional amount', { feature_service: 'credit_decision_v1', entities: [{ customer_id: '1' }], request_context: { requested_amount: { amount_minor: '1.5', currency: 'EUR' } } }, /request_context\.requested_amount\.amount_minor: expected an integer of minor units as a decimal string such as "12000"/],
    ['money in the old camelCase shape', { feature_service: 'credit_decision_v1', entities: [{ customer_id: '1' }], request_context: { requested_amount: { amountMinor: 1, currency: 'EUR' } } }, /request_context\.requested_amount: unknown field "amountMinor" \(known fields: amount_minor, currency\)/],
    ['an unknown request input', { feature_service: 'credit_decision_v1', entities: [{ customer_id: '1' }], request_context: { amount: 1 } }, /request_context: unknown field "amount" \(known fields: requested_amount\)/],
  ])('rejects %s, naming where', (_what, body, message) => {
    expect(problemOf(body)).toMatch(message);
  });
});
