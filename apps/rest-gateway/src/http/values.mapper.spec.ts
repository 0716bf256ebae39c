import { money } from '@bnpl/feature-definitions';
import { fromMoneyInput, fromRequestInputs, toFeatureValueJson, toMoneyJson } from './values.mapper';
import { moneyInputSchema, moneySchema } from './values.schema';

describe('value mappers', () => {
  it("write money as gRPC's JSON mapping does: amount_minor a decimal string", () => {
    expect(toMoneyJson(money(12_000, 'EUR'))).toEqual({ amount_minor: '12000', currency: 'EUR' });
    expect(toMoneyJson(money(-9_007_199_254_740_991, 'EUR'))).toEqual({ amount_minor: '-9007199254740991', currency: 'EUR' });
    expect(moneySchema.safeParse(toMoneyJson(money(0, 'XXX'))).success).toBe(true);
  });

  it('write other values as they are', () => {
    expect([1, 0.25, 'DE', true].map(toFeatureValueJson)).toEqual([1, 0.25, 'DE', true]);
    expect(toFeatureValueJson(money(5, 'GBP'))).toEqual({ amount_minor: '5', currency: 'GBP' });
  });

  it('read money in the same shape, and a JSON integer amount as protobuf JSON parsers do', () => {
    expect(fromMoneyInput(moneyInputSchema.parse({ amount_minor: '12000', currency: 'EUR' }))).toEqual(money(12_000, 'EUR'));
    expect(fromMoneyInput(moneyInputSchema.parse({ amount_minor: 12000, currency: 'EUR' }))).toEqual(money(12_000, 'EUR'));
    expect(fromRequestInputs({ requested_amount: { amount_minor: '1', currency: 'EUR' }, flag: true, absent: undefined })).toEqual({ requested_amount: money(1, 'EUR'), flag: true });
  });

  it.each([
    [{ amount_minor: '12.5', currency: 'EUR' }, /expected an integer of minor units as a decimal string/],
    [{ amount_minor: '9007199254740993', currency: 'EUR' }, /9007199254740993 is beyond 2\^53-1/],
    [{ amount_minor: 1.5, currency: 'EUR' }, /1\.5 is not an integer of minor units/],
    [{ amountMinor: 12000, currency: 'EUR' }, /unknown field "amountMinor"/],
  ])('reject money that is not exact integer minor units in the documented shape: %j', (value, message) => {
    const result = moneyInputSchema.safeParse(value);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message).join('; ')).toMatch(message);
  });
});
