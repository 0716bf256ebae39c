import { bnplCatalog, money } from '@bnpl/feature-definitions';
import { sampleDraft } from '../testing/sample-records';
import { decodeRecordBody, encodeRecordBody, hashBody, MalformedRecordBodyError, sealRecord } from './canonical-record';
import { GENESIS_HASH, type DecisionRecord } from './decision-record';
import { definitionFingerprint, definitionFingerprints } from './definition-fingerprint';

const record = (overrides: Partial<DecisionRecord> = {}): DecisionRecord => ({
  ...sampleDraft(),
  instanceId: 'grpc-serving:20261201T100000Z:0123456789ab',
  sequence: 7,
  previousSequence: 6,
  previousHash: 'f'.repeat(64),
  ...overrides,
});

describe('canonical record bodies', () => {
  it('reads back exactly the record it was written from', () => {
    const r = record();
    expect(decodeRecordBody(encodeRecordBody(r))).toEqual(r);
    const odd = record({ principal: null, featureService: 'credit_decision_v1', streamWatermark: null, requestContext: {}, rows: [] , featureNames: [] });
    expect(decodeRecordBody(encodeRecordBody(odd))).toEqual(odd);
  });

  it('gives the same bytes whatever the key order of the maps, and different bytes for any change', () => {
    const r = record();
    const reordered = record({
      decisionId: r.decisionId,
      definitions: Object.fromEntries(Object.entries(r.definitions).reverse()),
      requestContext: { requested_amount: money(12_000, 'EUR') },
      rows: r.rows.map((row) => ({ ...row, entityRow: { merchant_id: row.entityRow['merchant_id'], customer_id: row.entityRow['customer_id'] } })),
    });
    expect(encodeRecordBody(reordered)).toBe(encodeRecordBody(r));
    const changed = record({ decisionId: r.decisionId, rows: [{ ...r.rows[0], values: r.rows[0].values.map((v, i) => (i === 0 ? { ...v, value: 3 } : v)) }] });
    expect(hashBody(encodeRecordBody(changed))).not.toBe(hashBody(encodeRecordBody(r)));
  });

  it('keeps non-finite doubles and exact doubles', () => {
    const values = [Number.NaN, Number.POSITIVE_INFINITY, 0.1 + 0.2, 2 ** 53 - 1];
    const r = record({ featureNames: values.map((_, i) => `v:f${i}`), rows: [{ entityRow: { customer_id: '1' }, values: values.map((value) => ({ value, status: 'PRESENT' as const, eventTime: null, origin: 'source' as const, streamed: false })) }] });
    expect(decodeRecordBody(encodeRecordBody(r)).rows[0].values.map((v) => v.value)).toEqual(values);
  });

  it('hashes the body: SHA-256 in hex; sealing keeps the columns a store indexes', () => {
    expect(hashBody('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    const sealed = sealRecord(record({ previousHash: GENESIS_HASH, previousSequence: 0, sequence: 1 }));
    expect(sealed).toMatchObject({ sequence: 1, previousSequence: 0, previousHash: GENESIS_HASH, customerId: '42', hash: hashBody(sealed.body) });
  });

  it('names what is wrong with a body that was edited by hand', () => {
    const body = encodeRecordBody(record());
    const cases: Array<[string, RegExp]> = [
      ['{', /not JSON/],
      [body.replace('"v":1', '"v":2'), /unknown version/],
      [body.replace('[2,"P"', '[2,"G"'), /unknown status/],
      [body.replace(',"l",', ',"x",'), /unknown origin/],
      [body.replace('[2,"P",0', '[2,"P",9'), /names no time of its row/],
      [body.replace('"edge":"rest"', '"edge":"ftp"'), /unknown edge/],
      [body.replace('"sequence":7', '"sequence":-7'), /sequence is not a non-negative integer/],
      [body.replace('"served_at":"2026', '"served_at":"x2026'), /served_at is not an instant/],
      [body.replace(/,\[\{"amount_minor":62000,"currency":"EUR"\},"P",[^\]]*\]/, ''), /has 4 values for 5 features/],
    ];
    for (const [edited, problem] of cases) {
      expect(() => decodeRecordBody(edited)).toThrow(MalformedRecordBodyError);
      expect(() => decodeRecordBody(edited)).toThrow(problem);
    }
  });
});

describe('definition fingerprints', () => {
  it('are stable per view, differ between views, and cover request-time formulas', () => {
    const exposure = bnplCatalog.getView('customer_exposure');
    expect(definitionFingerprint(exposure)).toMatch(/^[0-9a-f]{16}$/);
    expect(definitionFingerprint(exposure)).toBe(definitionFingerprint(exposure));
    const all = definitionFingerprints(bnplCatalog, ['customer_exposure', 'credit_request', 'no_such_view']);
    expect(Object.keys(all)).toEqual(['customer_exposure', 'credit_request']);
    expect(all['customer_exposure']).not.toBe(all['credit_request']);
    const request = bnplCatalog.requestViews[0];
    const changedFormula = { ...request, definition: { ...request.definition, features: request.definition.features.map((f) => ({ ...f, compute: () => null })) } };
    expect(definitionFingerprint(changedFormula as typeof request)).not.toBe(definitionFingerprint(request));
  });
});
