import { describeSampler, readTracingSettings } from './tracing-settings';

describe('readTracingSettings', () => {
  it('is off when nothing says where spans go', () => {
    expect(readTracingSettings('rest-gateway', {})).toEqual({ settings: { enabled: false, why: 'no OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_TRACES_EXPORTER set' }, problems: [] });
  });

  it('is on with an OTLP endpoint, sampling 1 % of new traces by default and keeping the caller decision', () => {
    const { settings, problems } = readTracingSettings('rest-gateway', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' });
    expect(problems).toEqual([]);
    expect(settings).toEqual({
      enabled: true,
      serviceName: 'rest-gateway',
      sampler: 'parentbased_traceidratio',
      ratio: 0.01,
      destination: 'OTLP http/protobuf to http://collector:4318',
      instrumentations: ['grpc', 'ioredis', 'pg', 'fastify'],
      logLevel: 'warn',
    });
  });

  it('takes the standard sampler, ratio, protocol and service name variables', () => {
    const { settings } = readTracingSettings('grpc-serving', {
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://otlp.example/v1/traces',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_TRACES_SAMPLER: 'traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.25',
      OTEL_SERVICE_NAME: 'serving-eu',
      OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http,nestjs-core, pg',
      OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'pg',
      OTEL_LOG_LEVEL: 'DEBUG',
    });
    expect(settings).toEqual({
      enabled: true,
      serviceName: 'serving-eu',
      sampler: 'traceidratio',
      ratio: 0.25,
      destination: 'OTLP http/json to https://otlp.example/v1/traces',
      instrumentations: ['http', 'nestjs-core'],
      logLevel: 'debug',
    });
  });

  it('defaults the ratio of an explicitly chosen ratio sampler to 1, as the specification says', () => {
    const { settings } = readTracingSettings('x', { OTEL_TRACES_EXPORTER: 'console', OTEL_TRACES_SAMPLER: 'parentbased_traceidratio' });
    expect(settings).toMatchObject({ enabled: true, ratio: 1, destination: 'console' });
  });

  it('is off when disabled or when the exporter is none, whatever else is set', () => {
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' };
    expect(readTracingSettings('x', { ...endpoint, OTEL_SDK_DISABLED: 'true' }).settings).toEqual({ enabled: false, why: 'OTEL_SDK_DISABLED=true' });
    expect(readTracingSettings('x', { ...endpoint, OTEL_TRACES_EXPORTER: 'none' }).settings).toEqual({ enabled: false, why: 'OTEL_TRACES_EXPORTER=none' });
  });

  it('names every bad variable instead of guessing', () => {
    const { settings, problems } = readTracingSettings('x', {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318',
      OTEL_TRACES_SAMPLER: 'sometimes',
      OTEL_TRACES_SAMPLER_ARG: '5',
      OTEL_TRACES_EXPORTER: 'otlp,jaeger',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'udp',
      OTEL_SDK_DISABLED: 'maybe',
      OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'http,express',
      OTEL_LOG_LEVEL: 'loud',
    });
    expect(settings.enabled).toBe(false);
    expect(problems.map((p) => p.variable).sort()).toEqual([
      'OTEL_EXPORTER_OTLP_ENDPOINT',
      'OTEL_EXPORTER_OTLP_PROTOCOL',
      'OTEL_LOG_LEVEL',
      'OTEL_NODE_DISABLED_INSTRUMENTATIONS',
      'OTEL_SDK_DISABLED',
      'OTEL_TRACES_EXPORTER',
      'OTEL_TRACES_SAMPLER',
      'OTEL_TRACES_SAMPLER_ARG',
    ]);
    expect(problems.find((p) => p.variable === 'OTEL_TRACES_SAMPLER_ARG')?.message).toBe('must be a number from 0 to 1 (got "5")');
  });

  it('treats blank variables as unset', () => {
    expect(readTracingSettings('x', { OTEL_EXPORTER_OTLP_ENDPOINT: '  ', OTEL_TRACES_SAMPLER: '' })).toEqual({ settings: { enabled: false, why: 'no OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_TRACES_EXPORTER set' }, problems: [] });
  });
});

describe('describeSampler', () => {
  it('shows the ratio of ratio samplers only', () => {
    expect(describeSampler('parentbased_traceidratio', 0.01)).toBe('parentbased_traceidratio (1 %)');
    expect(describeSampler('always_on', 0.01)).toBe('always_on');
  });
});
