import { type CacheHitRatios } from '../metrics/cache-hit-ratio';
import { type ScenarioName } from '../scenarios/scenario-names';
import { isSkipped, type ScenarioOutcome } from './scenario-result';

/** The outcome of comparing served values with Redis down to those served with Redis up. */
export interface ValueComparison {
  readonly compared: number;
  readonly mismatches: number;
  readonly mismatchSamples: readonly string[];
}

/** One target of DESIGN.md, measured. */
export interface TargetResult {
  readonly name: string;
  readonly description: string;
  /** E.g. `>= 0.7` or `<= 5`, in `unit`. */
  readonly target: string;
  readonly unit: 'ratio' | 'ms' | 'count';
  readonly measured: number | null;
  /** null when not measured (its scenario was not run). */
  readonly met: boolean | null;
  /** How far the measurement is from the target, in `unit`; null when met or not measured. */
  readonly missedBy: number | null;
  readonly note?: string;
}

export interface TargetInputs {
  readonly scenarios: Readonly<Partial<Record<ScenarioName, ScenarioOutcome>>>;
  readonly cacheHit: CacheHitRatios | null;
  readonly redisDownValues: ValueComparison | null;
}

interface Spec {
  readonly name: string;
  readonly description: string;
  readonly unit: TargetResult['unit'];
  readonly bound: 'atLeast' | 'atMost';
  readonly threshold: number;
}

/**
 * Each target with its measurement. A latency measured while requests failed is not met whatever its value:
 * fast failures are not service.
 */
export function evaluateTargets(inputs: TargetInputs): TargetResult[] {
  const { scenarios } = inputs;
  const p99 = (name: ScenarioName, description: string, threshold: number): TargetResult => {
    const spec: Spec = { name: `${name}-p99`, description, unit: 'ms', bound: 'atMost', threshold };
    const s = scenarios[name];
    if (isSkipped(s)) return notMeasured(spec, s?.skipped ?? `scenario ${name} not run`);
    const failed = s.errors > 0 ? `${s.errors} of ${s.requests} requests failed (${s.errorSamples[0]?.message ?? ''})` : undefined;
    return measured(spec, s.latencyMs?.p99 ?? null, failed);
  };

  const rest = scenarios['rest-closed'];
  const baseline = scenarios['baseline-rest-closed'];
  const throughputSpec: Spec = {
    name: 'rest-throughput-vs-baseline',
    description: 'REST saturation throughput as a share of the bare Fastify baseline, same run',
    unit: 'ratio',
    bound: 'atLeast',
    threshold: 0.7,
  };
  const throughput =
    isSkipped(rest) || isSkipped(baseline)
      ? notMeasured(throughputSpec, 'needs both rest-closed and baseline-rest-closed')
      : measured(
          throughputSpec,
          baseline.throughputRps > 0 ? round(rest.throughputRps / baseline.throughputRps) : null,
          rest.errors + baseline.errors > 0 ? `errors: rest-closed ${rest.errors}, baseline-rest-closed ${baseline.errors}` : undefined,
        );

  const cacheSpec: Spec = { name: 'cache-hit-ratio', description: 'online store (L1 or Redis) hit ratio under the Zipf load', unit: 'ratio', bound: 'atLeast', threshold: 0.99 };
  const overall = inputs.cacheHit?.overall;
  const cache =
    overall?.value == null ? notMeasured(cacheSpec, overall?.reason ?? 'no Zipf scenario against a serving app was run') : measured(cacheSpec, overall.value, undefined);

  const down = scenarios['rest-redis-down-open'];
  const errorsSpec: Spec = { name: 'rest-redis-down-errors', description: 'failed REST reads with Redis stopped (PostgreSQL fallback)', unit: 'count', bound: 'atMost', threshold: 0 };
  const mismatchSpec: Spec = { name: 'rest-redis-down-value-mismatches', description: 'values served with Redis stopped that differ from those served with Redis up', unit: 'count', bound: 'atMost', threshold: 0 };

  return [
    throughput,
    p99('rest-open-half', 'REST p99 at half the saturation rate (open loop)', 5),
    p99('grpc1-open-half', 'gRPC p99, 1 customer per call, at half its saturation rate (open loop)', 3),
    p99('grpc100-open-half', 'gRPC p99, 100 customers per call, at half its saturation rate (open loop)', 15),
    cache,
    isSkipped(down) ? notMeasured(errorsSpec, down?.skipped ?? 'scenario rest-redis-down-open not run') : measured(errorsSpec, down.errors, down.errorSamples[0]?.message),
    redisDownValues(mismatchSpec, isSkipped(down) ? (down?.skipped ?? 'scenario rest-redis-down-open not run') : undefined, inputs.redisDownValues),
  ];
}

function redisDownValues(spec: Spec, skipped: string | undefined, values: ValueComparison | null): TargetResult {
  if (skipped !== undefined || !values) return notMeasured(spec, skipped ?? 'scenario rest-redis-down-open not run');
  if (values.compared === 0) return notMeasured(spec, 'no response could be compared');
  const example = values.mismatchSamples.length > 0 ? `; e.g. ${values.mismatchSamples[0]}` : '';
  return measured(spec, values.mismatches, undefined, `${values.compared} responses compared${example}`);
}

function targetText(spec: Spec): string {
  return `${spec.bound === 'atLeast' ? '>=' : '<='} ${spec.threshold}`;
}

function notMeasured(spec: Spec, why: string): TargetResult {
  return { name: spec.name, description: spec.description, target: targetText(spec), unit: spec.unit, measured: null, met: null, missedBy: null, note: why };
}

/** `failure` (errors during the measurement) makes the target unmet whatever the value; `note` only informs. */
function measured(spec: Spec, value: number | null, failure: string | undefined, note?: string): TargetResult {
  const base = { name: spec.name, description: spec.description, target: targetText(spec), unit: spec.unit, measured: value };
  if (value === null) return { ...base, met: false, missedBy: null, note: failure ?? 'nothing to measure: no request succeeded' };
  const gap = spec.bound === 'atLeast' ? spec.threshold - value : value - spec.threshold;
  const withinBound = gap <= 0;
  const shown = failure ?? note;
  return {
    ...base,
    met: withinBound && failure === undefined,
    missedBy: withinBound ? null : round(gap),
    ...(shown ? { note: shown } : {}),
  };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
