import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, makeTempDir, requireRedisServer, stopChild, waitForPort } from '@bnpl/service-launchers';
import { startRedisServer, type RunningRedis } from '@bnpl/testing';
import { describeOnlineStoreContract, contractCatalog } from '@bnpl/online-store';
import { RedisOnlineStore } from './redis-online-store';

/** One sentinel (`redis-server --sentinel`) monitoring `master` as `name`, quorum 1. */
async function startSentinel(master: RunningRedis, name: string): Promise<{ port: number; stop(): Promise<void> }> {
  const dir = makeTempDir('bnpl-sentinel-');
  const port = await freePort();
  const conf = join(dir.path, 'sentinel.conf');
  // The sentinel rewrites its config file, so it gets its own writable copy.
  writeFileSync(conf, [`port ${port}`, 'bind 127.0.0.1', `dir ${dir.path}`, `sentinel monitor ${name} ${master.host} ${master.port} 1`, ''].join('\n'));
  const child: ChildProcess = spawn(requireRedisServer(), [conf, '--sentinel'], { stdio: 'ignore' });
  await waitForPort('127.0.0.1', port, 10_000);
  return {
    port,
    stop: async () => {
      await stopChild(child, 'SIGTERM', 5_000);
      dir.remove();
    },
  };
}

// The master dies and comes back on the same address (there is no replica to fail over to): the client
// must reject fast meanwhile, then find the master again through the sentinel.
describeOnlineStoreContract('redis-sentinel (1 sentinel, 1 master)', async () => {
  let master = await startRedisServer();
  const masterPort = master.port;
  const sentinel = await startSentinel(master, 'features');
  const open = () => RedisOnlineStore.sentinel([{ host: '127.0.0.1', port: sentinel.port }], 'features', { catalog: contractCatalog });
  const store = open();
  return {
    store,
    openAnother: open,
    outage: {
      kill: () => master.kill(),
      restart: async () => {
        master = await startRedisServer({ port: masterPort });
      },
    },
    dispose: async () => {
      await store.close();
      await sentinel.stop();
      await master.stop();
    },
  };
});
