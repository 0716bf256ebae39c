import { bnplCatalog, money, type FeatureValue } from '@bnpl/feature-definitions';
import type { FeatureStatus, ValueOrigin } from '@bnpl/serving';
import { seededRandom } from '@bnpl/testing';
import { sampleDraft } from '../testing/sample-records';
import { decodeRecordBody, encodeRecordBody, hashBody, MalformedRecordBodyError, sealRecord } from './canonical-record';
import { GENESIS_HASH, type DecisionRecord, type ServedRow } from './decision-record';
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

  it('writes version 1 byte for byte (the hashes of stored records depend on it)', () => {
    const body = encodeRecordBody(record({ decisionId: '0190d5b2-7c1e-7abc-8def-0123456789ab' }));
    expect(body).toBe(
      '{"v":1,"decision_id":"0190d5b2-7c1e-7abc-8def-0123456789ab","instance_id":"grpc-serving:20261201T100000Z:0123456789ab","sequence":7,' +
        '"previous_sequence":6,"previous_hash":"' + 'f'.repeat(64) + '","served_at":"2026-12-01T10:00:00.000Z","edge":"rest",' +
        '"principal":{"id":"key:0123456789ab","kind":"api-key"},"feature_service":null,"feature_names":["customer_profile:kyc_level",' +
        '"customer_exposure:outstanding_balance","customer_exposure:utilization","merchant_risk:merchant_category","credit_request:exposure_after_order"],' +
        '"definitions":{"credit_request":"dddddddddddddddd","customer_exposure":"bbbbbbbbbbbbbbbb","customer_profile":"aaaaaaaaaaaaaaaa","merchant_risk":"cccccccccccccccc"},' +
        '"request_context":{"requested_amount":{"amount_minor":12000,"currency":"EUR"}},"stream_watermark":"2026-12-01T09:59:59.000Z",' +
        '"rows":[{"entity":{"customer_id":"42","merchant_id":"7"},"times":["2026-12-01T09:59:00.000Z","2026-12-01T08:00:00.000Z","2026-12-01T10:00:00.000Z"],' +
        '"values":[[2,"P",0,"l",1],[{"amount_minor":50000,"currency":"EUR"},"P",0,"o",1],[0.4166666666666667,"S",1,"o",0],["unknown","M",null,"s",0],' +
        '[{"amount_minor":62000,"currency":"EUR"},"P",2,"r",0]]}]}',
    );
  });

  it('equals the documented layout written with JSON.stringify, for random records', () => {
    const random = seededRandom(20261202);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    const text = () => pick(['', 'a', 'GB', 'unknown', 'é"\\\u2028—✓', '\u0000\u001f', 'x'.repeat(40)]);
    const value = (): FeatureValue =>
      pick([
        () => Math.floor(random() * 2 ** 53) * pick([1, -1]),
        () => (random() - 0.5) * 10 ** Math.floor(random() * 30 - 10),
        () => pick([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 0]),
        text,
        () => random() < 0.5,
        () => money(Math.floor(random() * 1e9), pick(['EUR', 'GBP'])),
      ])();
    const instant = () => new Date(Date.UTC(2026, 0, 1) + Math.floor(random() * 8) * 3_600_000 + pick([0, 1, 999]));
    const statuses: FeatureStatus[] = ['PRESENT', 'DEFAULT', 'STALE', 'MISSING'];
    const origins: ValueOrigin[] = ['l1', 'online-store', 'source', 'request'];
    const keyed = <T>(names: readonly string[], of: () => T): Record<string, T> => Object.fromEntries(names.filter(() => random() < 0.7).map((n) => [n, of()]));

    // The layout of BODY_VERSION 1, independently: plain objects in the documented key order, maps sorted.
    const sorted = <T>(m: Readonly<Record<string, T>>, of: (v: T) => unknown) => Object.fromEntries(Object.keys(m).sort().map((k) => [k, of(m[k])]));
    const json = (v: FeatureValue): unknown =>
      typeof v === 'number' ? (Number.isFinite(v) ? v : { double: String(v) }) : typeof v === 'object' ? { amount_minor: v.amountMinor, currency: v.currency } : v;
    const rowJson = (row: ServedRow) => {
      const times: number[] = [];
      const values = row.values.map((v) => {
        let index: number | null = null;
        if (v.eventTime) {
          index = times.indexOf(v.eventTime.getTime());
          if (index < 0) index = times.push(v.eventTime.getTime()) - 1;
        }
        return [json(v.value), v.status[0], index, { l1: 'l', 'online-store': 'o', source: 's', request: 'r' }[v.origin], v.streamed ? 1 : 0];
      });
      return { entity: sorted(row.entityRow, (id) => id), times: times.map((t) => new Date(t).toISOString()), values };
    };
    const reference = (r: DecisionRecord) =>
      JSON.stringify({
        v: 1, decision_id: r.decisionId, instance_id: r.instanceId, sequence: r.sequence, previous_sequence: r.previousSequence, previous_hash: r.previousHash,
        served_at: r.servedAt.toISOString(), edge: r.edge, principal: r.principal ? { id: r.principal.id, kind: r.principal.kind } : null,
        feature_service: r.featureService, feature_names: r.featureNames, definitions: sorted(r.definitions, (f) => f),
        request_context: sorted(r.requestContext, json), stream_watermark: r.streamWatermark ? r.streamWatermark.toISOString() : null, rows: r.rows.map(rowJson),
      });

    for (let n = 0; n < 300; n++) {
      const features = Math.floor(random() * 30);
      const shared = [instant(), instant(), null];
      const r = record({
        decisionId: `d-${n}`,
        sequence: n + 1,
        edge: pick(['rest', 'feast', 'grpc']),
        principal: random() < 0.3 ? null : { id: `jwt:${text()}`, kind: 'jwt' },
        featureService: random() < 0.5 ? null : text(),
        featureNames: Array.from({ length: features }, (_, i) => `view_${i % 4}:feature_${i}`),
        definitions: keyed(['view_0', 'view_1', 'view_2', 'credit_request', 'b', 'a'], () => 'f'.repeat(16)),
        requestContext: keyed(['requested_amount', 'term', 'channel'], value),
        streamWatermark: random() < 0.3 ? null : instant(),
        rows: Array.from({ length: Math.floor(random() * 5) }, () => ({
          entityRow: keyed(['merchant_id', 'customer_id', 'z_key'], () => String(1 + Math.floor(random() * 1e6))),
          values: Array.from({ length: features }, () => ({ value: value(), status: pick(statuses), eventTime: random() < 0.8 ? pick(shared) : instant(), origin: pick(origins), streamed: random() < 0.5 })),
        })),
      });
      expect(encodeRecordBody(r)).toBe(reference(r));
    }
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
