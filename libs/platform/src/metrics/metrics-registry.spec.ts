import { MetricsRegistry } from './metrics-registry';

describe('MetricsRegistry', () => {
  it('renders counters and observable counters in the Prometheus text format', async () => {
    const registry = new MetricsRegistry('test-service');
    registry.meter.createCounter('bnpl_test_requests', { description: 'Requests seen' }).add(3, { route: 'a' });
    let seen = 41;
    registry.meter.createObservableCounter('bnpl_test_hits', { description: 'Hits' }).addCallback((r) => r.observe(++seen));
    const text = await registry.render();
    expect(text).toContain('# HELP bnpl_test_requests_total Requests seen');
    expect(text).toMatch(/^bnpl_test_requests_total\{route="a"\} 3$/m);
    expect(text).toMatch(/^bnpl_test_hits_total 42$/m);
    expect(text).not.toContain('target_info');
    await registry.shutdown();
  });
});
