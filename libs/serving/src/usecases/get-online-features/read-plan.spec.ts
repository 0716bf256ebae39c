import { Catalog, FeatureStoreError, ValueType, bnplCatalog, money } from '@bnpl/feature-definitions';
import { InvalidFeatureRequestError } from '../../errors/invalid-feature-request.error';
import type { GetOnlineFeaturesCommand } from './get-online-features.command';
import { MAX_CACHED_KEY_LENGTH, ReadPlanner, requestInputsOf, resolveSelection, validateEntityRows, validateRequestContext, type FeatureSelection } from './read-plan';

const JOIN_KEYS = bnplCatalog.entities.map((e) => e.joinKey);
const creditRequest = bnplCatalog.getRequestView('credit_request');

/** The error `fn` throws, failing the test if it returns. */
function thrown(fn: () => unknown): FeatureStoreError {
  try {
    fn();
  } catch (error) {
    return error as FeatureStoreError;
  }
  throw new Error('expected a throw');
}

describe('resolveSelection', () => {
  it('resolves a feature service: its features in order, stored views, the ids and inputs it needs, one slot per feature', () => {
    const service = bnplCatalog.resolveService('credit_decision_v1');
    const selection = resolveSelection(bnplCatalog, { featureService: 'credit_decision_v1' });

    expect(selection.subject).toBe('credit_decision_v1');
    expect(selection.featureNames).toEqual(service.features.map((f) => f.ref));
    expect(selection.storedViews).toEqual(service.storedViews);
    expect([...selection.requiredJoinKeys]).toEqual([
      ['customer_id', 'customer_profile'],
      ['merchant_id', 'merchant_risk'],
    ]);
    expect(selection.requestInputs).toEqual([
      { name: 'requested_amount', type: ValueType.MONEY, usedBy: creditRequest.features.map((f) => `credit_request:${f.name}`) },
    ]);
    expect(selection.slots).toHaveLength(selection.featureNames.length);
    const profile = bnplCatalog.getView('customer_profile');
    expect(selection.slots[0]).toEqual({ kind: 'stored', read: { view: profile, feature: profile.features[0].name, default: profile.features[0].default } });
  });

  it('resolves a request-time feature\'s reads once, to the stored view, feature and default they are served with', () => {
    const selection = resolveSelection(bnplCatalog, { features: ['credit_request:exposure_after_order'] });
    const feature = creditRequest.features.find((f) => f.name === 'exposure_after_order');
    if (!feature) throw new Error('no exposure_after_order');
    const reads = feature.reads.map((ref) => {
      const { view, feature: f } = bnplCatalog.getFeature(ref);
      if (view.kind !== 'stored') throw new Error('a request feature reads stored features');
      return { ref, read: { view, feature: f.name, default: f.default } };
    });

    expect(selection.slots).toEqual([{ kind: 'request', view: creditRequest, feature, reads }]);
    // The views a request-time feature reads are read too, though none of their features is selected.
    expect(selection.storedViews.map((v) => v.name)).toEqual(reads.map((r) => r.read.view.name));
    expect(selection.subject).toBe('the requested features');
  });

  it('orders stored views as a service does: the selected features\' views first, then what request-time features read', () => {
    const selection = resolveSelection(bnplCatalog, { features: ['credit_request:*', 'merchant_risk:merchant_orders_90d', 'customer_profile:country'] });
    const readViews = [...new Set(creditRequest.reads.map((ref) => ref.split(':')[0]))];
    expect(selection.storedViews.map((v) => v.name)).toEqual(['merchant_risk', 'customer_profile', ...readViews.filter((v) => v !== 'customer_profile')]);
    expect(selection.featureNames.slice(-2)).toEqual(['merchant_risk:merchant_orders_90d', 'customer_profile:country']);
  });

  const errors: Array<[string, Pick<GetOnlineFeaturesCommand, 'featureService' | 'features'>, string]> = [
    ['both a service and features', { featureService: 'credit_decision_v1', features: ['customer_profile:country'] }, 'INVALID_FEATURE_SELECTION'],
    ['neither', {}, 'INVALID_FEATURE_SELECTION'],
    ['an empty list', { features: [] }, 'INVALID_FEATURE_SELECTION'],
    ['an unknown service', { featureService: 'credit_decision_v9' }, 'UNKNOWN_FEATURE_SERVICE'],
    ['an unknown view', { features: ['customer_nope:x'] }, 'UNKNOWN_FEATURE_VIEW'],
    ['an unknown feature', { features: ['customer_profile:nope'] }, 'UNKNOWN_FEATURE'],
    ['a malformed ref', { features: ['customer_profile'] }, 'INVALID_FEATURE_REF'],
  ];
  it.each(errors)('rejects %s', (_name, command, reason) => {
    expect(thrown(() => resolveSelection(bnplCatalog, command)).reason).toBe(reason);
  });
});

describe('validateEntityRows', () => {
  const selection = resolveSelection(bnplCatalog, { featureService: 'credit_decision_v1' });

  it('returns the rows as given', () => {
    const rows = [{ customer_id: '1', merchant_id: '2' }, { customer_id: '1', merchant_id: '3' }];
    const valid = validateEntityRows(rows, selection, JOIN_KEYS);
    expect(valid).toEqual(rows);
    expect(valid[1]).toBe(rows[1]);
  });

  it('locates the bad row and field', () => {
    const missing = thrown(() => validateEntityRows([{ customer_id: '1', merchant_id: '2' }, { customer_id: '4' }], selection, JOIN_KEYS));
    expect(missing).toBeInstanceOf(InvalidFeatureRequestError);
    expect(missing).toMatchObject({ reason: 'MISSING_ENTITY_ID', location: { rowIndex: 1, field: 'merchant_id' } });
    expect(missing.message).toBe('Entity row 1: no merchant_id, which credit_decision_v1 needs (view merchant_risk)');

    const invalid = thrown(() => validateEntityRows([{ customer_id: '01', merchant_id: '2' }], selection, JOIN_KEYS));
    expect(invalid).toMatchObject({ reason: 'INVALID_ENTITY_ID', location: { rowIndex: 0, field: 'customer_id' } });

    const repeated = thrown(() => validateEntityRows([{ customer_id: '1', merchant_id: '2' }, { merchant_id: '2', customer_id: '1' }], selection, JOIN_KEYS));
    expect(repeated).toMatchObject({ reason: 'DUPLICATE_ENTITY_ROW', location: { rowIndex: 1 } });
    expect(repeated.message).toBe('Entity row 1 (customer_id=1, merchant_id=2) repeats entity row 0');
  });

  it('checks ids the selection does not need, but does not require them', () => {
    const customerOnly = resolveSelection(bnplCatalog, { features: ['customer_profile:country'] });
    expect(validateEntityRows([{ customer_id: '1' }], customerOnly, JOIN_KEYS)).toHaveLength(1);
    expect(thrown(() => validateEntityRows([{ customer_id: '1', merchant_id: 'x' }], customerOnly, JOIN_KEYS)).reason).toBe('INVALID_ENTITY_ID');
  });
});

describe('validateRequestContext', () => {
  const selection = resolveSelection(bnplCatalog, { features: ['credit_request:*'] });

  it('accepts the inputs with their types, and names the features needing a missing one', () => {
    expect(() => validateRequestContext({ requested_amount: money(1, 'EUR') }, selection)).not.toThrow();
    const missing = thrown(() => validateRequestContext(undefined, selection));
    expect(missing.reason).toBe('INVALID_REQUEST_INPUT');
    expect(missing.message).toContain('credit_request:requested_amount_to_avg_order_ratio, credit_request:exposure_after_order');
    expect(thrown(() => validateRequestContext({ requested_amount: 12 }, selection)).message).toContain('MONEY');
  });

  it('rejects an input the catalog does not declare, whatever the selection (one rule for REST and gRPC)', () => {
    const known = requestInputsOf(bnplCatalog);
    expect([...known]).toEqual(['requested_amount']);
    const unknown = thrown(() => validateRequestContext({ requested_amount: money(1, 'EUR'), amount: 1 }, selection, known));
    expect(unknown.reason).toBe('INVALID_REQUEST_INPUT');
    expect(unknown.message).toBe('Invalid request input "amount": unknown request input (known: requested_amount)');
    const storedOnly = resolveSelection(bnplCatalog, { features: ['customer_profile:*'] });
    expect(thrown(() => validateRequestContext({ amount: 1 }, storedOnly, known)).message).toContain('"amount": unknown request input');
    expect(() => validateRequestContext({ requested_amount: money(1, 'EUR') }, storedOnly, known)).not.toThrow();
  });

  it('needs nothing for stored features alone', () => {
    expect(() => validateRequestContext(undefined, resolveSelection(bnplCatalog, { features: ['customer_profile:*'] }))).not.toThrow();
  });
});

describe('ReadPlanner', () => {
  afterEach(() => jest.restoreAllMocks());

  it('plans a command: its selection and its validated rows', () => {
    const planner = new ReadPlanner(bnplCatalog);
    const rows = [{ customer_id: '1' }];
    const plan = planner.plan({ features: ['customer_profile:country'], entityRows: rows });
    expect(plan.selection.featureNames).toEqual(['customer_profile:country']);
    expect(plan.rows).toEqual(rows);
  });

  it('resolves a selection once and reuses it for every command with the same service or list', () => {
    const resolveRefs = jest.spyOn(Catalog.prototype, 'resolveRefs');
    const planner = new ReadPlanner(bnplCatalog);
    const list = (ids: string[]) => ({ features: ['customer_profile:country', 'customer_exposure:*'], entityRows: ids.map((id) => ({ customer_id: id })) });

    const a = planner.plan(list(['1']));
    const b = planner.plan(list(['2', '3']));
    expect(b.selection).toBe(a.selection);
    expect(resolveRefs).toHaveBeenCalledTimes(1);
    expect(planner.selection({ featureService: 'credit_decision_v1' })).toBe(planner.selection({ featureService: 'credit_decision_v1' }));

    // Another order is another selection (the values come in that order).
    const reordered = planner.selection({ features: ['customer_exposure:*', 'customer_profile:country'] });
    expect(reordered).not.toBe(a.selection);
    expect(reordered.featureNames).toEqual([...a.selection.featureNames.slice(1), 'customer_profile:country']);
  });

  it('keeps at most the given number of selections, dropping the least recently used', () => {
    const planner = new ReadPlanner(bnplCatalog, 2);
    const profile = planner.selection({ features: ['customer_profile:*'] });
    const exposure = planner.selection({ features: ['customer_exposure:*'] });
    expect(planner.selection({ features: ['customer_profile:*'] })).toBe(profile);
    planner.selection({ features: ['merchant_risk:*'] }); // evicts customer_exposure, used least recently
    expect(planner.selection({ features: ['customer_profile:*'] })).toBe(profile);
    expect(planner.selection({ features: ['customer_exposure:*'] })).not.toBe(exposure);
  });

  it('does not keep a very long feature list, which would make the cache large', () => {
    const planner = new ReadPlanner(bnplCatalog);
    const long = { features: Array.from({ length: Math.ceil(MAX_CACHED_KEY_LENGTH / 'customer_profile:*'.length) + 1 }, () => 'customer_profile:*') };
    const first = planner.selection(long);
    expect(first.featureNames).toEqual(bnplCatalog.getView('customer_profile').features.map((f) => `customer_profile:${f.name}`));
    expect(planner.selection(long)).not.toBe(first);
    expect(planner.selection(long)).toEqual(first);
  });

  it('validates rows and inputs on every call, also when the selection is cached', () => {
    const planner = new ReadPlanner(bnplCatalog);
    const command = { featureService: 'credit_decision_v1', entityRows: [{ customer_id: '1', merchant_id: '2' }], requestContext: { requested_amount: money(1, 'EUR') } };
    planner.plan(command);
    expect(thrown(() => planner.plan({ ...command, entityRows: [{ customer_id: '1' }] })).reason).toBe('MISSING_ENTITY_ID');
    expect(thrown(() => planner.plan({ ...command, requestContext: {} })).reason).toBe('INVALID_REQUEST_INPUT');
  });

  it('never caches a bad selection, nor answers a non-string name from the cache', () => {
    const planner = new ReadPlanner(bnplCatalog);
    expect(thrown(() => planner.selection({ features: ['customer_profile:nope'] })).reason).toBe('UNKNOWN_FEATURE');
    expect(thrown(() => planner.selection({ features: ['customer_profile:nope'] })).reason).toBe('UNKNOWN_FEATURE');

    planner.selection({ featureService: 'credit_decision_v1' });
    planner.selection({ features: ['customer_profile:country'] });
    const lookalike = { toString: () => 'customer_profile:country' } as unknown as string;
    expect(thrown(() => planner.selection({ features: [lookalike] })).reason).toBe('INVALID_FEATURE_REF');
    expect(thrown(() => planner.selection({ featureService: ['credit_decision_v1'] as unknown as string })).reason).toBe('UNKNOWN_FEATURE_SERVICE');

    planner.selection({ features: ['customer_profile:country', 'customer_exposure:*'] });
    expect(thrown(() => planner.selection({ features: ['customer_profile:country\0customer_exposure:*'] })).reason).toBe('INVALID_FEATURE_REF');
  });

  it('throws the selection error before looking at rows', () => {
    const planner = new ReadPlanner(bnplCatalog);
    const selection: FeatureSelection = planner.selection({ features: ['customer_profile:country'] });
    expect(selection.requiredJoinKeys.get('customer_id')).toBe('customer_profile');
    expect(thrown(() => planner.plan({ features: [], entityRows: [] })).reason).toBe('INVALID_FEATURE_SELECTION');
  });
});
