import { Client } from 'pg';
import { createConnection } from 'node:net';
import { makeTempDir, startEmbeddedPostgres, startRedisCluster, startRedisServer } from '../index';

function redisCommand(port: number, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => socket.write(command + '\r\n'));
    socket.once('data', (d) => {
      socket.destroy();
      resolve(d.toString());
    });
    socket.once('error', reject);
  });
}

describe('service launchers', () => {
  it('starts a real PostgreSQL with logical WAL and a pgoutput slot works', async () => {
    const dir = makeTempDir();
    const pg = await startEmbeddedPostgres({ dataDir: `${dir.path}/pg`, durable: false });
    try {
      const client = new Client({ connectionString: pg.url });
      await client.connect();
      const wal = await client.query('SHOW wal_level');
      expect(wal.rows[0].wal_level).toBe('logical');
      const slot = await client.query(`SELECT slot_name FROM pg_create_logical_replication_slot('t_slot', 'pgoutput')`);
      expect(slot.rows[0].slot_name).toBe('t_slot');
      await client.query(`SELECT pg_drop_replication_slot('t_slot')`);
      await client.end();
    } finally {
      await pg.stop();
      dir.remove();
    }
  });

  it('reuses an existing data directory on a second start', async () => {
    const dir = makeTempDir();
    const first = await startEmbeddedPostgres({ dataDir: `${dir.path}/pg`, durable: false });
    const c1 = new Client({ connectionString: first.url });
    await c1.connect();
    await c1.query('CREATE TABLE kept (v int)');
    await c1.query('INSERT INTO kept VALUES (42)');
    await c1.end();
    await first.stop();
    const second = await startEmbeddedPostgres({ dataDir: `${dir.path}/pg`, durable: false });
    try {
      const c2 = new Client({ connectionString: second.url });
      await c2.connect();
      expect((await c2.query('SELECT v FROM kept')).rows).toEqual([{ v: 42 }]);
      await c2.end();
    } finally {
      await second.stop();
      dir.remove();
    }
  });

  it('starts redis-server and a 3-node Redis Cluster', async () => {
    const redis = await startRedisServer();
    try {
      expect(await redisCommand(redis.port, 'PING')).toBe('+PONG\r\n');
    } finally {
      await redis.stop();
    }
    const cluster = await startRedisCluster(3);
    try {
      expect(cluster.nodes).toHaveLength(3);
      expect(await redisCommand(cluster.nodes[0].port, 'CLUSTER INFO')).toContain('cluster_state:ok');
    } finally {
      await cluster.stop();
    }
  });
});
