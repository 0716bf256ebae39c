import type { RedisOptions } from 'ioredis';

type Connector = new (options: unknown) => { connect(...args: unknown[]): Promise<NodeJS.EventEmitter> };

/**
 * ioredis' standalone connector, with a lasting 'error' listener on each socket it opens. ioredis listens
 * with `once`: when the client refuses the server's certificate it gets that error, and Node may then
 * report the alert the server answers with as a second 'error' on the same socket; with no listener left,
 * that one would be uncaught and end the process (seen against redis-server 7.0's TLS port with a client
 * that trusts another CA). The first error still reaches ioredis, which reports it and reconnects.
 * Used for `rediss://` URLs only.
 */
export function tlsSafeConnector(): NonNullable<RedisOptions['Connector']> {
  // The connector is not exported from ioredis' entry point; this is the class ioredis itself uses.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { default: StandaloneConnector } = require('ioredis/built/connectors/StandaloneConnector') as { default: Connector };
  class TlsSafeConnector extends StandaloneConnector {
    override async connect(...args: unknown[]): Promise<NodeJS.EventEmitter> {
      const stream = await super.connect(...args);
      stream.on('error', () => undefined);
      return stream;
    }
  }
  return TlsSafeConnector as unknown as NonNullable<RedisOptions['Connector']>;
}
