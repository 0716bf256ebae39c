import { observabilityBanner, ServiceLogs } from './service-logs';

const metrics = ['http://127.0.0.1:3000/metrics', 'http://127.0.0.1:3003/metrics'];

describe('observabilityBanner', () => {
  it('lists every /metrics and says how to turn tracing on when no endpoint is set', () => {
    const text = observabilityBanner(metrics, {}, false);
    expect(text).toContain('  metrics          http://127.0.0.1:3000/metrics, http://127.0.0.1:3003/metrics  (Prometheus text)\n');
    expect(text).toContain('  traces           off: start with OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4318');
    expect(text).toContain('http://localhost:16686');
  });

  it('says where spans go when the services inherit an OTLP endpoint, with the default 1 % sampling or the one set', () => {
    expect(observabilityBanner(metrics, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }, false)).toContain('traces           OTLP to http://collector:4318 (sampler parentbased_traceidratio, 1 %)');
    expect(observabilityBanner(metrics, { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c/v1/traces', OTEL_TRACES_SAMPLER: 'parentbased_always_on' }, false)).toContain('OTLP to http://c/v1/traces (sampler parentbased_always_on)');
    expect(observabilityBanner(metrics, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c', OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.5' }, false)).toContain('(sampler traceidratio 0.5)');
  });

  it('says services sharing the stack process are not traced', () => {
    expect(observabilityBanner(metrics, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c' }, true)).toContain('traces           off: traced only when the services run as separate processes');
  });
});

describe('ServiceLogs.describe', () => {
  it('names the files, or the terminal with --verbose', () => {
    expect(new ServiceLogs('/data', false).describe(false)).toBe('/data/logs/<service>.log (one JSON object per line; --verbose prints them here instead)');
    expect(new ServiceLogs('/data', false).describe(true)).toBe('/data/logs/services.log (one JSON object per line; --verbose prints them here instead)');
    expect(new ServiceLogs('/data', true).describe(false)).toBe('on this terminal (--verbose), one JSON object per line');
  });
});
