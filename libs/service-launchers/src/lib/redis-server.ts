import { execFile, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { requireRedisCli, requireRedisServer } from './binaries';
import { spawnUntilReady, stopChild, stoppable, withPortRetries, type LaunchedService } from './child';
import { freePort } from './free-port';
import { makeTempDir } from './temp-dir';

const execFileAsync = promisify(execFile);

export interface RunningRedis extends LaunchedService {
  /** redis://host:port */
  readonly url: string;
}

export interface RedisServerOptions {
  port?: number;
  /** Extra `--name value` arguments. */
  args?: string[];
}

/**
 * Starts a real `redis-server` on 127.0.0.1 (no persistence), as a child of this process.
 * Throws MissingBinaryError with the install command when redis-server is not on PATH.
 */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RunningRedis> {
  const args = ['--save', '', '--appendonly', 'no', ...(options.args ?? [])];
  // A port chosen here is free when checked, not reserved: another process may bind it first. Then pick
  // another; a caller-given port is the caller's to retry.
  const { port, child } = await withPortRetries(options.port === undefined ? 5 : 1, async () => {
    const port = options.port ?? (await freePort());
    return { port, child: await spawnRedis(port, args) };
  });
  return {
    host: '127.0.0.1',
    port,
    url: `redis://127.0.0.1:${port}`,
    ...stoppable(child),
  };
}

export interface RunningRedisCluster {
  readonly nodes: ReadonlyArray<{ host: string; port: number }>;
  stop(): Promise<void>;
}

/**
 * Starts `size` (default 3) redis-server nodes with cluster mode on and joins them into one Redis Cluster
 * with no replicas, then waits for `cluster_state:ok`. Node ports are chosen so that each port + 10000
 * (the cluster bus) is free too.
 */
export async function startRedisCluster(size = 3): Promise<RunningRedisCluster> {
  return withPortRetries(3, () => startRedisClusterOnce(size));
}

async function startRedisClusterOnce(size: number): Promise<RunningRedisCluster> {
  const cli = requireRedisCli();
  const dir = makeTempDir('bnpl-redis-cluster-');
  const ports = await clusterPorts(size);
  const children: ChildProcess[] = [];
  const stopAll = async () => {
    await Promise.all(children.map((c) => stopChild(c, 'SIGTERM', 5_000)));
    dir.remove();
  };
  try {
    for (const port of ports) {
      const nodeDir = join(dir.path, String(port));
      mkdirSync(nodeDir);
      children.push(
        await spawnRedis(port, ['--save', '', '--appendonly', 'no', '--cluster-enabled', 'yes', '--cluster-config-file', join(nodeDir, 'nodes.conf'), '--dir', nodeDir]),
      );
    }
    await execFileAsync(cli, ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes'], { timeout: 30_000 });
    const deadline = Date.now() + 20_000;
    for (;;) {
      const states = await Promise.all(ports.map((p) => execFileAsync(cli, ['-p', String(p), 'cluster', 'info']).then((r) => r.stdout)));
      if (states.every((s) => s.includes('cluster_state:ok'))) break;
      if (Date.now() > deadline) throw new Error(`Redis Cluster on ports ${ports.join(', ')} did not reach cluster_state:ok in 20 s`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (error) {
    await stopAll();
    throw error;
  }
  return { nodes: ports.map((port) => ({ host: '127.0.0.1', port })), stop: stopAll };
}

/**
 * Spawns redis-server and resolves once it logs "Ready to accept connections": Redis listens on its client
 * port before it binds the cluster bus port, and exits if that bind fails.
 */
function spawnRedis(port: number, args: string[]): Promise<ChildProcess> {
  return spawnUntilReady(requireRedisServer(), ['--port', String(port), '--bind', '127.0.0.1', '--protected-mode', 'no', ...args], {
    readyText: 'Ready to accept connections',
    portTaken: /Address already in use|Could not create server TCP listening socket|Could not bind/i,
    what: `redis-server on port ${port}`,
  });
}

async function clusterPorts(size: number): Promise<number[]> {
  const { createServer } = await import('node:net');
  const isFree = (port: number) =>
    new Promise<boolean>((resolve) => {
      const s = createServer();
      s.once('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
  const ports: number[] = [];
  while (ports.length < size) {
    const port = 20_000 + Math.floor(Math.random() * 10_000);
    if (!ports.includes(port) && (await isFree(port)) && (await isFree(port + 10_000))) ports.push(port);
  }
  return ports;
}
