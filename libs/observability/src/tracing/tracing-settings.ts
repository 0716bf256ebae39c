import { DIAG_LOG_LEVELS, type DiagLogLevelName } from './tracing-diagnostics';

type Env = Readonly<Record<string, string | undefined>>;

const SAMPLERS = ['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'] as const;
export type SamplerName = (typeof SAMPLERS)[number];

const EXPORTERS = ['otlp', 'console', 'none'] as const;
/** The instrumentations tracing loads, by the names OpenTelemetry's Node auto-instrumentation gives them. */
export const INSTRUMENTATIONS = ['http', 'grpc', 'ioredis', 'pg', 'nestjs-core', 'fastify'] as const;
export type InstrumentationName = (typeof INSTRUMENTATIONS)[number];
/**
 * Loaded unless `OTEL_NODE_ENABLED_INSTRUMENTATIONS` says otherwise. Fastify's instrumentation is the
 * server side of every service's HTTP (it continues the caller's `traceparent` itself); Node's HTTP
 * instrumentation would make a second server span per request for about 10 % of a feature read's CPU,
 * unsampled, and NestJS's repeats Fastify's spans for about 3 % (CPU profiles of rest-gateway under load):
 * both are there to turn on (outgoing HTTP calls get spans only with `http`).
 */
export const DEFAULT_INSTRUMENTATIONS: readonly InstrumentationName[] = ['grpc', 'ioredis', 'pg', 'fastify'];
const PROTOCOLS = ['http/protobuf', 'http/json', 'grpc'] as const;

/**
 * Sampling when tracing is on and OTEL_TRACES_SAMPLER is not set: 1 % of new traces, and whatever the caller
 * decided for a request that arrives with a `traceparent`. The hot path then pays for unsampled spans only
 * (no attributes, no export); the OpenTelemetry default (every trace) is one variable away.
 */
export const DEFAULT_SAMPLER: SamplerName = 'parentbased_traceidratio';
export const DEFAULT_SAMPLER_RATIO = 0.01;

export interface TracingProblem {
  readonly variable: string;
  readonly message: string;
}

export type TracingSettings =
  | { readonly enabled: false; readonly why: string }
  | {
      readonly enabled: true;
      /** `service.name` of every span: OTEL_SERVICE_NAME, else the service's own name. */
      readonly serviceName: string;
      readonly sampler: SamplerName;
      /** The ratio of the ratio-based samplers (ignored by the others). */
      readonly ratio: number;
      /** Where spans go, for the start-up log line. */
      readonly destination: string;
      /** The instrumentations to load (see DEFAULT_INSTRUMENTATIONS). */
      readonly instrumentations: readonly InstrumentationName[];
      /** The least severe of the SDK's own messages the service logs (OTEL_LOG_LEVEL; see DEFAULT_DIAG_LOG_LEVEL). */
      readonly logLevel: DiagLogLevelName;
    };

/**
 * The SDK's own messages logged when OTEL_LOG_LEVEL is not set: warnings and errors, so that spans an
 * exporter could not deliver are never dropped unsaid (the SDK's own default is `info`, which adds a line
 * per start-up detail).
 */
export const DEFAULT_DIAG_LOG_LEVEL: DiagLogLevelName = 'warn';

/**
 * Reads the standard `OTEL_*` variables. Tracing is off unless something says where spans go: an OTLP
 * endpoint (`OTEL_EXPORTER_OTLP_ENDPOINT` or `..._TRACES_ENDPOINT`) or an explicit `OTEL_TRACES_EXPORTER`
 * (`otlp`, `console`); `OTEL_SDK_DISABLED=true` or `OTEL_TRACES_EXPORTER=none` turns it off whatever else is
 * set. Off, nothing of the SDK is even loaded. Returns every bad variable as a problem rather than letting the
 * SDK warn and carry on with a default nobody asked for.
 */
export function readTracingSettings(service: string, env: Env, defaultInstrumentations: readonly InstrumentationName[] = DEFAULT_INSTRUMENTATIONS): { settings: TracingSettings; problems: TracingProblem[] } {
  const problems: TracingProblem[] = [];
  const get = (name: string) => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[]): T | undefined => {
    const value = get(name)?.toLowerCase();
    if (value === undefined) return undefined;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    problems.push({ variable: name, message: `must be one of: ${allowed.join(', ')} (got "${value}")` });
    return undefined;
  };
  const url = (name: string) => {
    const value = get(name);
    if (value === undefined) return undefined;
    try {
      if (['http:', 'https:'].includes(new URL(value).protocol)) return value;
    } catch {
      // reported below
    }
    problems.push({ variable: name, message: `must be a URL with scheme http:// or https:// (got "${value}")` });
    return undefined;
  };

  const disabled = oneOf('OTEL_SDK_DISABLED', ['true', 'false']) === 'true';
  const exporterList = get('OTEL_TRACES_EXPORTER')?.toLowerCase();
  const exporters = exporterList?.split(',').map((e) => e.trim()).filter(Boolean) ?? [];
  for (const exporter of exporters) {
    if (!(EXPORTERS as readonly string[]).includes(exporter)) problems.push({ variable: 'OTEL_TRACES_EXPORTER', message: `must be a list of: ${EXPORTERS.join(', ')} (got "${exporter}")` });
  }
  const endpoint = url('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT') ?? url('OTEL_EXPORTER_OTLP_ENDPOINT');
  oneOf('OTEL_EXPORTER_OTLP_PROTOCOL', PROTOCOLS);
  const protocol = oneOf('OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', PROTOCOLS) ?? get('OTEL_EXPORTER_OTLP_PROTOCOL') ?? 'http/protobuf';
  const sampler = oneOf('OTEL_TRACES_SAMPLER', SAMPLERS) ?? DEFAULT_SAMPLER;
  const logLevel = oneOf('OTEL_LOG_LEVEL', Object.keys(DIAG_LOG_LEVELS) as DiagLogLevelName[]) ?? DEFAULT_DIAG_LOG_LEVEL;
  const ratio = samplerRatio(get('OTEL_TRACES_SAMPLER_ARG'), get('OTEL_TRACES_SAMPLER') ? 1 : DEFAULT_SAMPLER_RATIO, problems);
  const instrumentationList = (variable: string): InstrumentationName[] | undefined => {
    const raw = get(variable);
    if (raw === undefined) return undefined;
    const names = raw.split(',').map((n) => n.trim()).filter(Boolean);
    for (const name of names) {
      if (!(INSTRUMENTATIONS as readonly string[]).includes(name)) problems.push({ variable, message: `must be a list of: ${INSTRUMENTATIONS.join(', ')} (got "${name}")` });
    }
    return names as InstrumentationName[];
  };
  const enabledList = instrumentationList('OTEL_NODE_ENABLED_INSTRUMENTATIONS') ?? defaultInstrumentations;
  const disabledList = instrumentationList('OTEL_NODE_DISABLED_INSTRUMENTATIONS') ?? [];
  const instrumentations = INSTRUMENTATIONS.filter((name) => enabledList.includes(name) && !disabledList.includes(name));

  if (problems.length > 0) return { settings: { enabled: false, why: 'invalid configuration' }, problems };
  if (disabled) return { settings: { enabled: false, why: 'OTEL_SDK_DISABLED=true' }, problems };
  if (exporters.includes('none')) return { settings: { enabled: false, why: 'OTEL_TRACES_EXPORTER=none' }, problems };
  if (exporters.length === 0 && endpoint === undefined) return { settings: { enabled: false, why: 'no OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_TRACES_EXPORTER set' }, problems };
  const destinations = (exporters.length ? exporters : ['otlp']).map((e) => (e === 'otlp' ? `OTLP ${protocol} to ${endpoint ?? 'the default endpoint'}` : e));
  return {
    settings: {
      enabled: true,
      serviceName: get('OTEL_SERVICE_NAME') ?? service,
      sampler,
      ratio,
      destination: destinations.join(' and '),
      instrumentations,
      logLevel,
    },
    problems,
  };
}

/** OTEL_TRACES_SAMPLER_ARG: a ratio in [0, 1]. The default is 1 with an explicit sampler, as the specification says. */
function samplerRatio(raw: string | undefined, fallback: number, problems: TracingProblem[]): number {
  if (raw === undefined) return fallback;
  const ratio = Number(raw);
  if (Number.isFinite(ratio) && ratio >= 0 && ratio <= 1) return ratio;
  problems.push({ variable: 'OTEL_TRACES_SAMPLER_ARG', message: `must be a number from 0 to 1 (got "${raw}")` });
  return fallback;
}

/** How the settings read in a log line: `parentbased_traceidratio (1 %)`, `always_on`. */
export function describeSampler(sampler: SamplerName, ratio: number): string {
  return sampler.endsWith('traceidratio') ? `${sampler} (${+(ratio * 100).toFixed(4)} %)` : sampler;
}
