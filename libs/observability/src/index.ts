// Public API of @bnpl/observability: tracing for every service. `startTracingFromEnv` is what each app's
// tracing.ts preload calls (before any instrumented module loads); the span helpers are what the wiring
// libs put around the read path, the online store, messaging and the ingestor. Loads no SDK until tracing
// is turned on, so importing it costs nothing.
export { currentTracing, startTracing, startTracingFromEnv, type Tracing } from './tracing/start-tracing';
export { routeTracingDiagnostics, type DiagnosticLevel, type DiagnosticSink } from './tracing/tracing-diagnostics';
export { DEFAULT_DIAG_LOG_LEVEL, DEFAULT_INSTRUMENTATIONS, DEFAULT_SAMPLER, DEFAULT_SAMPLER_RATIO, describeSampler, INSTRUMENTATIONS, readTracingSettings, type InstrumentationName, type SamplerName, type TracingProblem, type TracingSettings } from './tracing/tracing-settings';
export { activeTraceIds, inChildSpan, inChildSpanSync, inNewTrace, isTracing } from './tracing/spans';
