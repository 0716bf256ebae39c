import { freePort } from '@bnpl/service-launchers';
import { spawnService, waitForHttp, type ServiceProcess } from '@bnpl/testing';
import { type Cleanups } from './cleanups';

/** The in-process L1 cache the serving apps run with in the benchmark. */
export const L1_CACHE = { maxEntries: 200_000, ttlMs: 1_000 } as const;

/**
 * What every benchmark gives the serving apps it starts: loopback, its PostgreSQL, Redis with the L1 cache
 * as above, warn-level logs. Each benchmark adds what it compares.
 */
export function benchServingEnv(databaseUrl: string, redisUrl: string): Record<string, string> {
  return {
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    ONLINE_STORE: 'redis',
    REDIS_URL: redisUrl,
    ONLINE_STORE_L1_MAX_ENTRIES: String(L1_CACHE.maxEntries),
    ONLINE_STORE_L1_TTL_MS: String(L1_CACHE.ttlMs),
    LOG_LEVEL: 'warn',
  };
}

export interface ServingServicesOptions {
  readonly databaseUrl: string;
  readonly redisUrl: string;
  /** Start grpc-serving too (only the gRPC scenarios need it). */
  readonly grpc: boolean;
}

export interface RunningService {
  readonly process: ServiceProcess;
  /** http://127.0.0.1:port: health, metrics and (rest-gateway) the feature API. */
  readonly httpUrl: string;
}

export interface ServingServices {
  readonly rest: RunningService;
  readonly grpc?: RunningService & { readonly grpcAddress: string };
  /** Why grpc-serving is not running although asked for: the REST scenarios still run. */
  readonly grpcUnavailable?: string;
}

const READY_TIMEOUT_MS = 90_000;

/**
 * rest-gateway (and grpc-serving) as child processes, exactly as deployed (their real main.ts), on Redis
 * with the L1 cache on and warn-level logs; resolves once they answer /health/ready. rest-gateway must
 * start; grpc-serving failing to start is reported in `grpcUnavailable` instead.
 */
export async function startServingServices(options: ServingServicesOptions, cleanups: Cleanups): Promise<ServingServices> {
  const common = {
    ...benchServingEnv(options.databaseUrl, options.redisUrl),
    // The read path alone: what access control adds is measured by access-control-bench.ts, on against off.
    AUTH_MODE: 'off',
  };
  const restPort = await freePort();
  const restProcess = spawnService('rest-gateway', { ...common, PORT: String(restPort) });
  cleanups.add('rest-gateway', () => restProcess.stop());
  const rest = { process: restProcess, httpUrl: `http://127.0.0.1:${restPort}` };

  let grpc: ServingServices['grpc'];
  if (options.grpc) {
    const [grpcPort, httpPort] = [await freePort(), await freePort()];
    const grpcProcess = spawnService('grpc-serving', { ...common, GRPC_PORT: String(grpcPort), HTTP_PORT: String(httpPort) });
    cleanups.add('grpc-serving', () => grpcProcess.stop());
    grpc = { process: grpcProcess, httpUrl: `http://127.0.0.1:${httpPort}`, grpcAddress: `127.0.0.1:${grpcPort}` };
  }
  const [restReady, grpcReady] = await Promise.allSettled([
    waitForHttp(rest.process, `${rest.httpUrl}/health/ready`, 200, READY_TIMEOUT_MS),
    grpc ? waitForHttp(grpc.process, `${grpc.httpUrl}/health/ready`, 200, READY_TIMEOUT_MS) : Promise.resolve(),
  ]);
  if (restReady.status === 'rejected') throw restReady.reason;
  if (grpc && grpcReady.status === 'rejected') {
    await grpc.process.stop();
    return { rest, grpcUnavailable: `grpc-serving did not start: ${firstLines((grpcReady.reason as Error).message)}` };
  }
  return { rest, ...(grpc ? { grpc } : {}) };
}

function firstLines(text: string): string {
  return text.split('\n').slice(0, 3).join(' ').slice(0, 500);
}
