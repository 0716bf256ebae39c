import { CatalogValidationError, type CatalogProblem } from '../errors/catalog-validation.error';
import { customerEntity, merchantEntity } from '../catalog/entities';
import { bnplSources } from '../catalog/sources';
import { defineCatalog } from './catalog';
import { compute, feature, type AnyFeatureDefinition, type FeatureViewDefinition } from './feature-view';
import { where } from './predicate';
import { requestFeature, type RequestFeatureViewDefinition } from './request-feature-view';
import type { CatalogDefinition } from './validate-catalog';
import { ValueType } from './value-type';

const count30 = feature({
  name: 'orders_30d',
  valueType: ValueType.INT64,
  default: 0,
  description: 'd',
  compute: compute.count('orders', { window: 30 }),
});

function view(features: readonly AnyFeatureDefinition[], over: Partial<FeatureViewDefinition> = {}): FeatureViewDefinition {
  return { name: 'v', entity: 'customer', owner: 'o', description: 'd', ttlSeconds: 60, features, ...over };
}

function catalog(over: Partial<CatalogDefinition> = {}): CatalogDefinition {
  return {
    entities: [customerEntity, merchantEntity],
    sources: bnplSources,
    views: [view([count30])],
    requestViews: [],
    services: [],
    ...over,
  };
}

function problemsOf(def: CatalogDefinition): readonly CatalogProblem[] {
  try {
    defineCatalog(def);
  } catch (error) {
    expect(error).toBeInstanceOf(CatalogValidationError);
    const e = error as CatalogValidationError;
    expect(e.reason).toBe('INVALID_CATALOG');
    // The message lists every problem with its subject and reason.
    for (const p of e.problems) expect(e.message).toContain(`${p.subject}: ${p.reason}`);
    return e.problems;
  }
  throw new Error('expected defineCatalog to throw');
}

/** Defines a one-feature view `v` and expects exactly one problem for `v:<feature>` with `reason`. */
function expectFeatureProblem(f: unknown, reason: string, messagePart?: string): void {
  const problems = problemsOf(catalog({ views: [view([f as AnyFeatureDefinition])] }));
  const name = (f as { name: string }).name;
  expect(problems).toContainEqual(expect.objectContaining({ subject: `v:${name}`, reason }));
  if (messagePart) expect(problems.find((p) => p.reason === reason)?.message).toContain(messagePart);
}

const int = (name: string, c: AnyFeatureDefinition['compute'], over: object = {}) =>
  ({ name, valueType: 'INT64', default: 0, description: 'd', compute: c, ...over }) as AnyFeatureDefinition;

describe('defineCatalog validation', () => {
  it('accepts a valid catalog', () => {
    expect(() => defineCatalog(catalog())).not.toThrow();
  });

  describe('duplicates', () => {
    it('rejects a duplicate entity', () => {
      expect(problemsOf(catalog({ entities: [customerEntity, merchantEntity, customerEntity] }))).toContainEqual(
        expect.objectContaining({ subject: 'entity customer', reason: 'DUPLICATE_ENTITY' }),
      );
    });
    it('rejects a duplicate source', () => {
      expect(problemsOf(catalog({ sources: [...bnplSources, bnplSources[2]] }))).toContainEqual(
        expect.objectContaining({ subject: 'source orders', reason: 'DUPLICATE_SOURCE' }),
      );
    });
    it('rejects a duplicate view, also across stored and request-time views', () => {
      expect(problemsOf(catalog({ views: [view([count30]), view([count30])] }))).toContainEqual(
        expect.objectContaining({ subject: 'view v', reason: 'DUPLICATE_VIEW' }),
      );
      const rv: RequestFeatureViewDefinition = {
        name: 'v',
        owner: 'o',
        description: 'd',
        features: [requestFeature({ name: 'x', valueType: 'BOOL', default: false, description: 'd', inputs: {}, reads: [], compute: () => true })],
      };
      expect(problemsOf(catalog({ requestViews: [rv] }))).toContainEqual(expect.objectContaining({ subject: 'view v', reason: 'DUPLICATE_VIEW' }));
    });
    it('rejects a duplicate feature within a view, naming it', () => {
      const problems = problemsOf(catalog({ views: [view([count30, count30])] }));
      expect(problems).toEqual([
        expect.objectContaining({ subject: 'v:orders_30d', reason: 'DUPLICATE_FEATURE', message: expect.stringContaining('"orders_30d"') }),
      ]);
    });
    it('rejects a duplicate service', () => {
      const s = { name: 's_v1', version: 1, owner: 'o', description: 'd', features: ['v:*'] };
      expect(problemsOf(catalog({ services: [s, s] }))).toContainEqual(expect.objectContaining({ subject: 'service s_v1', reason: 'DUPLICATE_SERVICE' }));
    });
  });

  describe('unknown references', () => {
    it('rejects an unknown entity', () => {
      expect(problemsOf(catalog({ views: [view([count30], { entity: 'shopper' })] }))).toContainEqual(
        expect.objectContaining({ subject: 'view v', reason: 'UNKNOWN_ENTITY', message: expect.stringContaining('shopper') }),
      );
    });
    it('rejects an unknown source', () => {
      expectFeatureProblem(int('n', compute.count('order')), 'UNKNOWN_SOURCE', '"order"');
    });
    it('rejects unknown columns in attributes, aggregates and predicates', () => {
      expectFeatureProblem(int('n', compute.attribute('kyc')), 'UNKNOWN_COLUMN', '"kyc"');
      expectFeatureProblem(int('n', compute.max('installments', 'dpd')), 'UNKNOWN_COLUMN', '"dpd"');
      expectFeatureProblem(int('n', compute.count('orders', { where: where.eq('state', 'active') })), 'UNKNOWN_COLUMN', '"state"');
    });
    it('rejects PII columns, which sources do not declare', () => {
      expectFeatureProblem({ name: 'email', valueType: 'STRING', default: '', description: 'd', compute: compute.attribute('email') }, 'UNKNOWN_COLUMN');
    });
    it('rejects an unknown feature in a ratio', () => {
      expectFeatureProblem(
        { name: 'r', valueType: 'DOUBLE', default: 0, description: 'd', compute: compute.ratio(compute.feature('nope'), compute.count('orders')) },
        'UNKNOWN_FEATURE',
        'v:nope',
      );
    });
    it('rejects unknown features read by a request-time feature', () => {
      const rv: RequestFeatureViewDefinition = {
        name: 'req',
        owner: 'o',
        description: 'd',
        features: [
          requestFeature({ name: 'x', valueType: 'INT64', default: 0, description: 'd', inputs: {}, reads: ['v:nope', 'w:orders_30d', 'bad'], compute: () => 1 }),
        ],
      };
      const problems = problemsOf(catalog({ requestViews: [rv] }));
      expect(problems).toContainEqual(expect.objectContaining({ subject: 'req:x', reason: 'UNKNOWN_FEATURE', message: expect.stringContaining('v:nope') }));
      expect(problems).toContainEqual(expect.objectContaining({ subject: 'req:x', reason: 'UNKNOWN_FEATURE_VIEW', message: expect.stringContaining('w:orders_30d') }));
      expect(problems).toContainEqual(expect.objectContaining({ subject: 'req:x', reason: 'INVALID_FEATURE_REF', message: expect.stringContaining('"bad"') }));
    });
    it('rejects unknown views and features in a service', () => {
      const problems = problemsOf(
        catalog({ services: [{ name: 's_v1', version: 1, owner: 'o', description: 'd', features: ['v:nope', 'w:*', 'v:orders_30d', 'v:*', 'x'] }] }),
      );
      expect(problems).toEqual([
        expect.objectContaining({ subject: 'service s_v1', reason: 'UNKNOWN_FEATURE', message: expect.stringContaining('v:nope') }),
        expect.objectContaining({ subject: 'service s_v1', reason: 'UNKNOWN_FEATURE_VIEW', message: expect.stringContaining('w:*') }),
        expect.objectContaining({ subject: 'service s_v1', reason: 'DUPLICATE_FEATURE_REF', message: expect.stringContaining('v:orders_30d') }),
        expect.objectContaining({ subject: 'service s_v1', reason: 'INVALID_FEATURE_REF', message: expect.stringContaining('"x"') }),
      ]);
    });
  });

  describe('defaults', () => {
    it('rejects a string default on INT64', () => {
      expectFeatureProblem(int('n', compute.count('orders'), { default: '0' }), 'INVALID_DEFAULT', '"0" (string)');
    });
    it('rejects a non-integer INT64 and a non-finite DOUBLE', () => {
      expectFeatureProblem(int('n', compute.count('orders'), { default: 1.5 }), 'INVALID_DEFAULT');
      expectFeatureProblem(
        { name: 'r', valueType: 'DOUBLE', default: Number.NaN, description: 'd', compute: compute.ratio(compute.count('orders'), compute.count('orders')) },
        'INVALID_DEFAULT',
      );
    });
    it('rejects a non-integer MONEY and a MONEY without a currency code', () => {
      const sum = compute.sum('orders', 'amount_minor');
      expectFeatureProblem({ name: 'm', valueType: 'MONEY', default: { amountMinor: 1.5, currency: 'EUR' }, description: 'd', compute: sum }, 'INVALID_DEFAULT');
      expectFeatureProblem({ name: 'm', valueType: 'MONEY', default: { amountMinor: 0, currency: 'eur' }, description: 'd', compute: sum }, 'INVALID_DEFAULT');
      expectFeatureProblem({ name: 'm', valueType: 'MONEY', default: 0, description: 'd', compute: sum }, 'INVALID_DEFAULT');
    });
  });

  describe('computations', () => {
    it('rejects sum and max on non-numeric columns', () => {
      expectFeatureProblem(int('n', compute.sum('orders', 'status')), 'NON_NUMERIC_AGGREGATE_COLUMN', '"status" is STRING');
      expectFeatureProblem(int('n', compute.max('orders', 'merchant_id')), 'NON_NUMERIC_AGGREGATE_COLUMN', 'ID');
      expectFeatureProblem(int('n', compute.max('installments', 'due_date')), 'NON_NUMERIC_AGGREGATE_COLUMN', 'DATE');
    });
    it('rejects count_distinct over a TIMESTAMP (JS and SQL precision differ)', () => {
      expectFeatureProblem(int('n', compute.countDistinct('payments', 'attempted_at')), 'COLUMN_TYPE_MISMATCH', 'attempted_at');
    });
    it('rejects a window not in 7/30/90/365', () => {
      expectFeatureProblem(int('n', { kind: 'aggregate', source: 'orders', fn: 'count', windowDays: 14 as 7 }), 'INVALID_WINDOW', '14');
    });
    it('rejects a window on a source without a time column', () => {
      expectFeatureProblem(int('n', compute.count('customers', { window: 7 })), 'WINDOW_WITHOUT_TIME_COLUMN');
    });
    it('rejects a source not keyed by the view entity', () => {
      const problems = problemsOf(catalog({ views: [view([int('n', compute.count('installments'))], { entity: 'merchant' })] }));
      expect(problems).toContainEqual(
        expect.objectContaining({ subject: 'v:n', reason: 'SOURCE_NOT_KEYED_BY_ENTITY', message: expect.stringContaining('"installments"') }),
      );
    });
    it('rejects a count with a column and a sum without one', () => {
      expectFeatureProblem(int('n', { kind: 'aggregate', source: 'orders', fn: 'count', column: 'merchant_id' }), 'UNEXPECTED_AGGREGATE_COLUMN');
      expectFeatureProblem(int('n', { kind: 'aggregate', source: 'orders', fn: 'sum' }), 'MISSING_AGGREGATE_COLUMN');
    });
    it('rejects a value type the computation does not yield', () => {
      expectFeatureProblem(int('n', compute.sum('orders', 'amount_minor')), 'VALUE_TYPE_MISMATCH', 'MONEY');
      expectFeatureProblem({ name: 'c', valueType: 'INT64', default: 0, description: 'd', compute: compute.attribute('country') }, 'COLUMN_TYPE_MISMATCH');
      expectFeatureProblem({ name: 'a', valueType: 'STRING', default: '', description: 'd', compute: compute.ageDays('created_at') }, 'VALUE_TYPE_MISMATCH');
      expectFeatureProblem(int('a', compute.ageDays('kyc_level')), 'COLUMN_TYPE_MISMATCH');
    });
    it('rejects MONEY features of an entity without a currency', () => {
      const problems = problemsOf(
        catalog({
          views: [
            view([{ name: 'm', valueType: 'MONEY', default: { amountMinor: 0, currency: 'XXX' }, description: 'd', compute: compute.sum('orders', 'amount_minor') }], {
              entity: 'merchant',
            }),
          ],
        }),
      );
      expect(problems).toEqual([expect.objectContaining({ subject: 'v:m', reason: 'MONEY_WITHOUT_CURRENCY' })]);
    });
    it('rejects bad ratio operands', () => {
      const f = [
        count30,
        { name: 'r1', valueType: 'DOUBLE', default: 0, description: 'd', compute: compute.ratio(compute.feature('orders_30d'), compute.count('orders')) },
        { name: 'r2', valueType: 'DOUBLE', default: 0, description: 'd', compute: compute.ratio(compute.feature('r1'), compute.count('orders')) },
        { name: 'r3', valueType: 'DOUBLE', default: 0, description: 'd', compute: compute.ratio(compute.feature('r3'), compute.count('orders')) },
        {
          name: 'avg',
          valueType: 'MONEY',
          default: { amountMinor: 0, currency: 'XXX' },
          description: 'd',
          compute: compute.ratio(compute.sum('orders', 'amount_minor'), compute.sum('orders', 'amount_minor')),
        },
        { name: 'i', valueType: 'INT64', default: 0, description: 'd', compute: compute.ratio(compute.count('orders'), compute.count('orders')) },
      ] as AnyFeatureDefinition[];
      const problems = problemsOf(catalog({ views: [view(f)] }));
      expect(problems).toEqual([
        expect.objectContaining({ subject: 'v:r2', reason: 'INVALID_RATIO_OPERAND' }),
        expect.objectContaining({ subject: 'v:r3', reason: 'INVALID_RATIO_OPERAND' }),
        expect.objectContaining({ subject: 'v:avg', reason: 'INVALID_RATIO_OPERAND', message: expect.stringContaining('MONEY by INT64') }),
        expect.objectContaining({ subject: 'v:i', reason: 'VALUE_TYPE_MISMATCH' }),
      ]);
    });
    it('rejects ill-typed predicates', () => {
      expectFeatureProblem(int('n', compute.count('orders', { where: where.eq('status', 1) })), 'PREDICATE_TYPE_MISMATCH');
      expectFeatureProblem(int('n', compute.count('orders', { where: where.eq('status', 'actve') })), 'UNKNOWN_PREDICATE_VALUE', '"actve"');
      expectFeatureProblem(int('n', compute.count('installments', { where: where.gt('days_past_due', 1.5) })), 'PREDICATE_TYPE_MISMATCH');
      expectFeatureProblem(int('n', compute.count('orders', { where: { op: 'gt', column: 'status', value: 'a' } })), 'PREDICATE_TYPE_MISMATCH');
      expectFeatureProblem(int('n', compute.count('orders', { where: where.eq('merchant_id', '1') })), 'PREDICATE_TYPE_MISMATCH');
      expectFeatureProblem(int('n', compute.count('orders', { where: where.in('status', []) })), 'INVALID_PREDICATE');
      expectFeatureProblem(int('n', compute.count('orders', { where: where.or() })), 'INVALID_PREDICATE');
      expectFeatureProblem(int('n', compute.count('orders', { where: { op: 'like', column: 'status' } as never })), 'INVALID_PREDICATE');
    });
  });

  it('rejects a bad TTL, bad names, empty views and bad service versions', () => {
    expect(problemsOf(catalog({ views: [view([count30], { ttlSeconds: 0 })] }))).toEqual([expect.objectContaining({ subject: 'view v', reason: 'INVALID_TTL' })]);
    expect(problemsOf(catalog({ views: [view([count30], { name: 'Bad-Name' })] }))).toEqual([expect.objectContaining({ reason: 'INVALID_NAME' })]);
    expect(problemsOf(catalog({ views: [view([])] }))).toEqual([expect.objectContaining({ subject: 'view v', reason: 'EMPTY_VIEW' })]);
    expect(problemsOf(catalog({ services: [{ name: 's_v2', version: 1, owner: 'o', description: 'd', features: ['v:*'] }] }))).toEqual([
      expect.objectContaining({ subject: 'service s_v2', reason: 'INVALID_SERVICE_VERSION' }),
    ]);
  });

  it('rejects conflicting request input types', () => {
    const rv: RequestFeatureViewDefinition = {
      name: 'req',
      owner: 'o',
      description: 'd',
      features: [
        requestFeature({ name: 'a', valueType: 'INT64', default: 0, description: 'd', inputs: { amount: 'MONEY' }, reads: [], compute: () => 1 }),
        requestFeature({ name: 'b', valueType: 'INT64', default: 0, description: 'd', inputs: { amount: 'INT64' }, reads: [], compute: () => 1 }),
      ],
    };
    expect(problemsOf(catalog({ requestViews: [rv] }))).toEqual([expect.objectContaining({ subject: 'req:b', reason: 'REQUEST_INPUT_CONFLICT' })]);
  });

  it('reports every problem at once', () => {
    const problems = problemsOf(
      catalog({
        views: [
          view([
            count30,
            count30,
            int('s', compute.sum('orders', 'status')),
            int('w', { kind: 'aggregate', source: 'orders', fn: 'count', windowDays: 60 as 30 }),
            int('d', compute.count('orders'), { default: 'x' }),
          ]),
        ],
      }),
    );
    expect(problems.map((p) => `${p.subject} ${p.reason}`)).toEqual([
      'v:orders_30d DUPLICATE_FEATURE',
      'v:s NON_NUMERIC_AGGREGATE_COLUMN',
      'v:w INVALID_WINDOW',
      'v:d INVALID_DEFAULT',
    ]);
  });
});
