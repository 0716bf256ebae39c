import { connect, createServer } from 'node:net';

/** Asks the kernel for a free TCP port on loopback. The port is free when returned, not reserved. */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Resolves once something accepts TCP connections on host:port, or rejects after `timeoutMs`.
 * A connection whose local port equals the target port is TCP simultaneous open with itself (Linux picks
 * the target as the source port when it lies in the ephemeral range and nothing listens yet): it counts as
 * "not listening", and is closed at once so the service can still bind the port.
 */
export async function waitForPort(host: string, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect({ host, port });
      socket.once('connect', () => {
        const selfConnected = socket.localPort === port && socket.localAddress === socket.remoteAddress;
        socket.destroy();
        resolve(!selfConnected);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on ${host}:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
