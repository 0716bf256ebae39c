import { performance } from 'node:perf_hooks';
import { waitFor } from '@bnpl/testing';
import { type BenchOptions } from '../cli-args';
import { runClosedLoop } from '../load/closed-loop';
import { runOpenLoop } from '../load/open-loop';
import { ZipfSampler } from '../load/zipf-sampler';
import { cacheHitRatios, scrapeCacheCounters, type CacheHitRatios, type CounterScrape } from '../metrics/cache-hit-ratio';
import { isSkipped, type ScenarioOutcome, type ScenarioResult } from '../report/scenario-result';
import { type ValueComparison } from '../report/targets';
import { type Cleanups } from '../stack/cleanups';
import { startCpuMeter } from '../stack/cpu-meter';
import { type ServingServices } from '../stack/serving-services';
import { GrpcFeatureClient } from '../targets/grpc-feature-client';
import { HttpFeatureClient } from '../targets/http-feature-client';
import { OPEN_LOOP_RATE, type ScenarioName } from './scenario-names';
import { ValueComparer } from './value-comparison';

export interface ScenarioEnvironment {
  readonly options: BenchOptions;
  readonly merchants: number;
  readonly services: ServingServices;
  /** The Fastify baseline, when baseline-rest-closed is run. */
  readonly baseline?: { readonly origin: string; readonly pid?: number };
  readonly protoDir: string;
  /** rest-gateway's bodies with Redis up, by customer id: what the Redis-down run must serve too. */
  readonly referenceBodies: ReadonlyMap<number, string>;
  readonly stopRedis: () => Promise<void>;
  readonly restartRedis: () => Promise<void>;
  readonly log: (message: string) => void;
  readonly cleanups: Cleanups;
  /** Aborted on Ctrl-C: the scenario in progress ends at once and no other starts. */
  readonly signal: AbortSignal;
}

export interface RedisDownOutcome {
  readonly values: ValueComparison;
  /** From Redis' restart until rest-gateway's /health/ready answers 200 again; null if it did not in 30 s. */
  readonly readyAgainAfterMs: number | null;
}

export interface ScenarioRun {
  readonly scenarios: Partial<Record<ScenarioName, ScenarioOutcome>>;
  /** Over the Zipf scenarios against rest-gateway and grpc-serving; null when none ran. */
  readonly cacheHit: CacheHitRatios | null;
  readonly redisDown: RedisDownOutcome | null;
}

interface Plan {
  readonly server: 'rest-gateway' | 'grpc-serving' | 'fastify-baseline';
  readonly protocol: 'http' | 'grpc';
  readonly entitiesPerCall: number;
}

const PLANS: Record<ScenarioName, Plan> = {
  'baseline-rest-closed': { server: 'fastify-baseline', protocol: 'http', entitiesPerCall: 1 },
  'rest-closed': { server: 'rest-gateway', protocol: 'http', entitiesPerCall: 1 },
  'rest-open-half': { server: 'rest-gateway', protocol: 'http', entitiesPerCall: 1 },
  'grpc1-closed': { server: 'grpc-serving', protocol: 'grpc', entitiesPerCall: 1 },
  'grpc1-open-half': { server: 'grpc-serving', protocol: 'grpc', entitiesPerCall: 1 },
  'grpc100-closed': { server: 'grpc-serving', protocol: 'grpc', entitiesPerCall: 100 },
  'grpc100-open-half': { server: 'grpc-serving', protocol: 'grpc', entitiesPerCall: 100 },
  'rest-redis-down-open': { server: 'rest-gateway', protocol: 'http', entitiesPerCall: 1 },
};

/**
 * Runs the scenarios in order. Every scenario draws the same Zipf sequence (same seed), so the baseline and
 * the services are asked for the same customers. Cache counters are scraped around the scenarios that load
 * the serving apps with Redis up. The Redis-down scenario stops Redis, runs without warm-up (the switch to
 * the fallback is part of what it measures), then restarts Redis (empty) and waits for readiness.
 */
export async function runScenarios(env: ScenarioEnvironment): Promise<ScenarioRun> {
  const { options, services } = env;
  const rest = new HttpFeatureClient(services.rest.httpUrl, env.merchants, options.concurrency);
  env.cleanups.add('REST client', () => rest.destroy());
  const baseline = env.baseline ? new HttpFeatureClient(env.baseline.origin, env.merchants, options.concurrency) : undefined;
  if (baseline) env.cleanups.add('baseline client', () => baseline.destroy());
  const grpc = services.grpc ? new GrpcFeatureClient(services.grpc.grpcAddress, env.protoDir, env.merchants) : undefined;
  if (grpc) env.cleanups.add('gRPC client', () => grpc.close());

  const sampler = () => new ZipfSampler({ n: options.customers, exponent: options.zipfExponent, seed: options.seed });
  const durationMs = options.durationSeconds * 1000;
  const warmupMs = options.warmupSeconds * 1000;
  const results: Partial<Record<ScenarioName, ScenarioOutcome>> = {};

  const callFor = (name: ScenarioName, comparer?: ValueComparer): (() => Promise<unknown>) => {
    const ids = sampler();
    const plan = PLANS[name];
    if (plan.protocol === 'grpc') {
      if (!grpc) throw new Error('grpc-serving is not running');
      return plan.entitiesPerCall === 1 ? () => grpc.get([ids.next()]) : () => grpc.get(ids.nextDistinct(plan.entitiesPerCall));
    }
    const client = plan.server === 'fastify-baseline' ? baseline : rest;
    if (!client) throw new Error('the baseline is not running');
    if (!comparer) return () => client.get(ids.next());
    return async () => {
      const id = ids.next();
      const body = await client.get(id);
      if (comparer.has(id)) comparer.compare(id, body);
    };
  };

  const serverPid: Record<Plan['server'], number | undefined> = {
    'rest-gateway': services.rest.process.child.pid,
    'grpc-serving': services.grpc?.process.child.pid,
    'fastify-baseline': env.baseline?.pid,
  };

  const run = async (name: ScenarioName, comparer?: ValueComparer): Promise<ScenarioOutcome> => {
    const rate = OPEN_LOOP_RATE[name];
    const plan = PLANS[name];
    const { signal } = env;
    if (plan.protocol === 'grpc' && !grpc) return { skipped: services.grpcUnavailable ?? 'grpc-serving is not running' };
    if (!rate) {
      const cpu = startCpuMeter(serverPid[plan.server]);
      const summary = await runClosedLoop({ call: callFor(name), concurrency: options.concurrency, durationMs, warmupMs, signal });
      return { ...summary, ...plan, cpu: cpu() };
    }
    const source = results[rate.from];
    if (isSkipped(source)) return { skipped: `${rate.from} did not run, so there is no rate to run at` };
    if (source.throughputRps <= 0) {
      return { skipped: `${rate.from} had no successful request (${source.errorSamples[0]?.message ?? 'none completed'}), so there is no rate to run at` };
    }
    const ratePerSecond = Math.max(1, Math.round(source.throughputRps * rate.share));
    const warmup = name === 'rest-redis-down-open' ? 0 : warmupMs;
    const cpu = startCpuMeter(serverPid[plan.server]);
    const summary = await runOpenLoop({ call: callFor(name, comparer), ratePerSecond, durationMs, warmupMs: warmup, signal });
    return { ...summary, ...plan, cpu: cpu() };
  };

  const servingScenarios = options.scenarios.filter((s) => s !== 'baseline-rest-closed' && s !== 'rest-redis-down-open');
  const before = servingScenarios.length > 0 ? await scrapeAll(services) : null;
  let cacheHit: CacheHitRatios | null = null;
  let redisDown: RedisDownOutcome | null = null;

  for (const name of options.scenarios) {
    env.log(`scenario ${name}: ${describePlan(name, options)}`);
    if (name === 'rest-redis-down-open') {
      const comparer = new ValueComparer(env.referenceBodies);
      await env.stopRedis();
      try {
        results[name] = await run(name, comparer);
      } finally {
        await env.restartRedis();
      }
      redisDown = { values: comparer.result(), readyAgainAfterMs: await msUntilReady(`${services.rest.httpUrl}/health/ready`) };
    } else {
      results[name] = await run(name);
    }
    env.signal.throwIfAborted();
    env.log(`  ${summarise(results[name])}`);
    if (before && name === servingScenarios.at(-1)) cacheHit = cacheHitRatios(before, await scrapeAll(services));
  }
  return { scenarios: results, cacheHit, redisDown };
}

async function scrapeAll(services: ServingServices): Promise<Record<string, CounterScrape>> {
  const scrapes: Record<string, CounterScrape> = { 'rest-gateway': await scrapeCacheCounters(`${services.rest.httpUrl}/metrics`) };
  if (services.grpc) scrapes['grpc-serving'] = await scrapeCacheCounters(`${services.grpc.httpUrl}/metrics`);
  return scrapes;
}

async function msUntilReady(url: string): Promise<number | null> {
  const started = performance.now();
  try {
    await waitFor(url, async () => (await fetch(url, { signal: AbortSignal.timeout(1_000) })).ok, 30_000, 100);
    return Math.round(performance.now() - started);
  } catch {
    return null;
  }
}

function describePlan(name: ScenarioName, options: BenchOptions): string {
  const rate = OPEN_LOOP_RATE[name];
  const load = rate ? `open loop at ${rate.share * 100} % of ${rate.from}` : `closed loop, ${options.concurrency} workers`;
  return `${load}, ${options.durationSeconds} s${name === 'rest-redis-down-open' ? ' with Redis stopped' : ''}`;
}

function summarise(outcome: ScenarioOutcome | undefined): string {
  if (isSkipped(outcome)) return `skipped: ${outcome?.skipped}`;
  const r: ScenarioResult = outcome;
  const latency = r.latencyMs ? `p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms` : 'no successful request';
  const errors = r.errors > 0 ? `, ${r.errors} errors (${r.errorSamples[0]?.message})` : ', 0 errors';
  const cpu = `CPU: generator ${r.cpu.generatorPercent} %, server ${r.cpu.serverPercent ?? '-'} %`;
  return `${r.throughputRps} req/s, ${latency}${errors}; ${cpu}`;
}
