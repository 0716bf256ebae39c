import { MetricsRegistry } from './metrics-registry';
import { RequestHistogram } from './request-histogram';

describe('RequestHistogram', () => {
  it('counts observations into cumulative buckets, per label set, in the Prometheus text format', () => {
    const histogram = new RequestHistogram('bnpl_test_duration_seconds', 'How long "it" took', ['route', 'status_class'], [0.01, 0.1, 1]);
    expect(histogram.render()).toBe('');
    const ok = histogram.series('/a/:id', '2xx');
    for (const v of [0.005, 0.01, 0.05, 2]) ok.observe(v);
    histogram.series('/b', '5xx').observe(0.5);
    expect(histogram.series('/a/:id', '2xx')).toBe(ok);
    expect(histogram.render()).toBe(
      [
        '# HELP bnpl_test_duration_seconds How long "it" took',
        '# TYPE bnpl_test_duration_seconds histogram',
        'bnpl_test_duration_seconds_bucket{route="/a/:id",status_class="2xx",le="0.01"} 2',
        'bnpl_test_duration_seconds_bucket{route="/a/:id",status_class="2xx",le="0.1"} 3',
        'bnpl_test_duration_seconds_bucket{route="/a/:id",status_class="2xx",le="1"} 3',
        'bnpl_test_duration_seconds_bucket{route="/a/:id",status_class="2xx",le="+Inf"} 4',
        'bnpl_test_duration_seconds_sum{route="/a/:id",status_class="2xx"} 2.065',
        'bnpl_test_duration_seconds_count{route="/a/:id",status_class="2xx"} 4',
        'bnpl_test_duration_seconds_bucket{route="/b",status_class="5xx",le="0.01"} 0',
        'bnpl_test_duration_seconds_bucket{route="/b",status_class="5xx",le="0.1"} 0',
        'bnpl_test_duration_seconds_bucket{route="/b",status_class="5xx",le="1"} 1',
        'bnpl_test_duration_seconds_bucket{route="/b",status_class="5xx",le="+Inf"} 1',
        'bnpl_test_duration_seconds_sum{route="/b",status_class="5xx"} 0.5',
        'bnpl_test_duration_seconds_count{route="/b",status_class="5xx"} 1',
        '',
      ].join('\n'),
    );
  });

  it('escapes label values', () => {
    const histogram = new RequestHistogram('x_seconds', 'x', ['route'], [1]);
    histogram.series('/a"b\\c\nd').observe(0.1);
    expect(histogram.render()).toContain('x_seconds_count{route="/a\\"b\\\\c\\nd"} 1');
  });

  it('is served with the OpenTelemetry instruments, once per name', async () => {
    const registry = new MetricsRegistry('test');
    registry.meter.createCounter('bnpl_other', { description: 'other' }).add(1);
    registry.requestHistogram('bnpl_req_seconds', 'req', ['rpc'], [0.5]).series('A/B').observe(0.1);
    expect(() => registry.requestHistogram('bnpl_req_seconds', 'again', [], [1])).toThrow(/exists already/);
    const text = await registry.render();
    expect(text).toMatch(/^bnpl_other_total 1$/m);
    expect(text).toMatch(/^bnpl_req_seconds_count\{rpc="A\/B"\} 1$/m);
    await registry.shutdown();
  });
});
