import { bucketQuantile, histogramBuckets, sumSamples } from './prometheus-text';

describe('sumSamples', () => {
  it('sums every series of a name, ignoring labels, comments and other names', () => {
    const text = [
      '# HELP bnpl_serving_online_hits_total Pairs found',
      '# TYPE bnpl_serving_online_hits_total counter',
      'bnpl_serving_online_hits_total{view="customer_profile"} 10',
      'bnpl_serving_online_hits_total{view="merchant_risk",note="a } b"} 5 1700000000000',
      'bnpl_serving_online_hits_total_created 1.7e9',
      'bnpl_online_store_l1_hits_total 3.5e2',
      'other_total 99',
      '',
    ].join('\n');
    const sums = sumSamples(text, ['bnpl_serving_online_hits_total', 'bnpl_online_store_l1_hits_total', 'bnpl_serving_online_misses_total']);
    expect(sums.get('bnpl_serving_online_hits_total')).toBe(15);
    expect(sums.get('bnpl_online_store_l1_hits_total')).toBe(350);
    expect(sums.has('bnpl_serving_online_misses_total')).toBe(false);
    expect(sums.has('other_total')).toBe(false);
  });
});

describe('histogram buckets and quantiles', () => {
  const scrape = (counts: number[]) =>
    ['1', '5', '10', '+Inf'].map((le, i) => `lat_ms_bucket{otel_scope_name="x",le="${le}"} ${counts[i]}`).concat(['lat_ms_sum 1', 'lat_ms_count 9']).join('\n');

  it('reads cumulative buckets by bound, +Inf included', () => {
    expect([...histogramBuckets(scrape([1, 4, 9, 10]), 'lat_ms')]).toEqual([
      [1, 1],
      [5, 4],
      [10, 9],
      [Infinity, 10],
    ]);
  });

  it('gives the bound of the bucket holding a quantile of what was observed between two scrapes', () => {
    const before = histogramBuckets(scrape([1, 1, 1, 1]), 'lat_ms');
    const after = histogramBuckets(scrape([1, 6, 10, 11]), 'lat_ms');
    // 10 new observations: 0 <= 1 ms, 5 <= 5 ms, 9 <= 10 ms, 1 beyond.
    expect(bucketQuantile(before, after, 0.5)).toBe(5);
    expect(bucketQuantile(before, after, 0.9)).toBe(10);
    expect(bucketQuantile(before, after, 0.99)).toBe(Infinity);
    expect(bucketQuantile(after, after, 0.5)).toBeNull();
  });
});
