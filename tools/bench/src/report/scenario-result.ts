import { type ClosedLoopSummary } from '../load/closed-loop';
import { type OpenLoopSummary } from '../load/open-loop';
import { type CpuShare } from '../stack/cpu-meter';

/** One scenario's measurements, with what it was run against. */
export type ScenarioResult = (ClosedLoopSummary | OpenLoopSummary) & {
  /** `rest-gateway`, `grpc-serving` or `fastify-baseline`. */
  readonly server: string;
  readonly protocol: 'http' | 'grpc';
  readonly entitiesPerCall: number;
  /** CPU used by the generator and the server during the scenario (warm-up included). */
  readonly cpu: CpuShare;
};

/** A scenario that could not run, and why. */
export interface SkippedScenario {
  readonly skipped: string;
}

export type ScenarioOutcome = ScenarioResult | SkippedScenario;

export function isSkipped(outcome: ScenarioOutcome | undefined): outcome is SkippedScenario | undefined {
  return outcome === undefined || 'skipped' in outcome;
}
