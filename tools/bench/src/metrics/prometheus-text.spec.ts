import { sumSamples } from './prometheus-text';

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
