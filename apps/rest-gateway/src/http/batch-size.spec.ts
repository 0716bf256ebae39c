import { feastEntityColumns, nativeEntityRows, refuseOversizedBatch } from './batch-size';

describe('refuseOversizedBatch', () => {
  const many = (n: number) => Array.from({ length: n }, () => ({}));

  it('refuses more than 1000 rows by count alone, naming the path and the count', () => {
    expect(() => refuseOversizedBatch({ entities: many(300_000) }, nativeEntityRows)).toThrow('Invalid request body: entities: at most 1000 entity rows per request, got 300000');
    expect(() => refuseOversizedBatch({ entities: { customer_id: [1, 2], merchant_id: many(1001) } }, feastEntityColumns)).toThrow(
      'entities.merchant_id: at most 1000 entity rows per request, got 1001',
    );
  });

  it('leaves everything else to the schema', () => {
    for (const body of [undefined, null, [], 'x', { entities: many(1000) }, { entities: 'nope' }, { entities: { customer_id: many(1000) } }]) {
      expect(() => refuseOversizedBatch(body, nativeEntityRows)).not.toThrow();
      expect(() => refuseOversizedBatch(body, feastEntityColumns)).not.toThrow();
    }
  });
});
