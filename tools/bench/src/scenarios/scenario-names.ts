/**
 * The scenarios, in the order they run whatever the order asked for: each open-loop scenario's rate comes
 * from a closed-loop one run before it, and the Redis-down scenario stops Redis, so it runs last.
 */
export const SCENARIOS = [
  'baseline-rest-closed',
  'rest-closed',
  'rest-open-half',
  'grpc1-closed',
  'grpc1-open-half',
  'grpc100-closed',
  'grpc100-open-half',
  'rest-redis-down-open',
] as const;

export type ScenarioName = (typeof SCENARIOS)[number];

/**
 * Open-loop scenarios run at a share of a closed-loop scenario's saturation throughput: half of it for the
 * latency targets; a quarter with Redis down, a moderate load the PostgreSQL fallback is expected to carry.
 */
export const OPEN_LOOP_RATE: Partial<Record<ScenarioName, { readonly from: ScenarioName; readonly share: number }>> = {
  'rest-open-half': { from: 'rest-closed', share: 0.5 },
  'grpc1-open-half': { from: 'grpc1-closed', share: 0.5 },
  'grpc100-open-half': { from: 'grpc100-closed', share: 0.5 },
  'rest-redis-down-open': { from: 'rest-closed', share: 0.25 },
};

export function isScenarioName(name: string): name is ScenarioName {
  return (SCENARIOS as readonly string[]).includes(name);
}

/** Whether any of these scenarios talks gRPC (grpc-serving is started only then). */
export function needsGrpc(scenarios: readonly ScenarioName[]): boolean {
  return scenarios.some((s) => s.startsWith('grpc'));
}
