import { EventEmitter } from 'node:events';
import { tlsSafeConnector } from './tls-safe-connector';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { default: StandaloneConnector } = require('ioredis/built/connectors/StandaloneConnector') as { default: { prototype: { connect(...args: unknown[]): Promise<EventEmitter> } } };

describe('tlsSafeConnector', () => {
  afterEach(() => jest.restoreAllMocks());

  it("is ioredis' standalone connector, whose sockets keep an 'error' listener so a second error is not uncaught", async () => {
    const socket = new EventEmitter();
    jest.spyOn(StandaloneConnector.prototype, 'connect').mockResolvedValue(socket);
    const Connector = tlsSafeConnector() as unknown as new (options: unknown) => { connect(): Promise<EventEmitter> };
    const connector = new Connector({ host: '127.0.0.1', port: 6379 });
    expect(connector).toBeInstanceOf(StandaloneConnector as unknown as new () => unknown);

    const stream = await connector.connect();
    expect(stream).toBe(socket);
    expect(socket.listenerCount('error')).toBe(1);
    // Without the listener, this emit would throw (an unhandled 'error' event).
    expect(() => socket.emit('error', new Error('tlsv1 alert unknown ca'))).not.toThrow();
  });
});
