import { selectFeatures } from '@bnpl/offline-store';
import { outputLayout } from '@bnpl/offline-store';
import { testCatalog } from '@bnpl/offline-store';
import { pointInTimeQuery } from './duckdb-pit-query';

describe('DuckDB point-in-time query', () => {
  const layout = outputLayout(selectFeatures(testCatalog, { features: ['customer_flags:is_vip', 'merchant_risk:merchant_category', 'customer_exposure:credit_limit'] }), ["it's"]);
  const span = { minEventTime: new Date('2025-02-01T00:00:00Z'), maxEventTime: new Date('2025-03-01T00:00:00Z') };
  const sql = pointInTimeQuery(layout, 'temp.main.entities', span, true);

  it('joins each view on its entity to the row valid at the row timestamp, after pruning rows outside the entity rows span', () => {
    expect(sql.match(/ LEFT JOIN/g)).toHaveLength(3);
    expect(sql).not.toContain('ASOF');
    expect(sql).toContain(
      `LEFT JOIN (SELECT entity_id, event_timestamp, valid_until, "merchant_category" FROM features."merchant_risk" WHERE event_timestamp <= TIMESTAMPTZ '2025-03-01T00:00:00.000Z' AND valid_until > TIMESTAMPTZ '2025-02-01T00:00:00.000Z') AS v1 ` +
        `ON v1.entity_id = e."merchant_id" AND e.event_timestamp >= v1.event_timestamp AND e.event_timestamp < v1.valid_until`,
    );
    expect(sql).toMatch(/ORDER BY __row$/);
    expect(sql).not.toMatch(/ORDER BY (?!__row)/);
  });

  it('sorts only when asked (memory outputs): never for files and tables', () => {
    expect(pointInTimeQuery(layout, 'temp.main.entities', span, false)).not.toContain('ORDER BY');
  });

  it('judges the TTL once per view and row, in microseconds, exactly the TTL still fresh', () => {
    expect(sql).toContain('WHEN epoch_us(e.event_timestamp) - epoch_us(v0.event_timestamp) > 60000000 THEN ');
    expect(sql).toContain('WHEN epoch_us(e.event_timestamp) - epoch_us(v2.event_timestamp) > 3600000000 THEN ');
    expect(sql.match(/epoch_us\(e\.event_timestamp\)/g)).toHaveLength(3);
  });

  it('gives statuses as an ENUM of the four statuses, the view judged once and the value looked at per feature', () => {
    expect(sql).toContain(`COALESCE(__s2, CASE WHEN __v2_0 IS NOT NULL THEN CAST('PRESENT' AS ENUM('PRESENT', 'DEFAULT', 'STALE', 'MISSING')) ELSE CAST('DEFAULT' AS ENUM(`);
    expect(sql).toContain(`END) AS "customer_exposure__credit_limit__status"`);
  });

  it('falls back to typed defaults and quotes names', () => {
    expect(sql).toContain(`ELSE FALSE END AS "customer_flags__is_vip"`);
    expect(sql).toContain(`ELSE 'unknown' END AS "merchant_risk__merchant_category"`);
    expect(sql).toContain(`ELSE CAST(0 AS BIGINT) END AS "customer_exposure__credit_limit__amount_minor"`);
    expect(sql).toContain(`ELSE 'XXX' END AS "customer_exposure__credit_limit__currency"`);
    expect(sql).toMatch(/^SELECT "customer_id", "merchant_id", event_timestamp, "it's", /);
  });
});
