import { readFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';

/**
 * A free TCP port on loopback for a test or local service. The port is free when returned, not reserved.
 *
 * Taken below the kernel's ephemeral range where there is one (Linux): a port the kernel hands out for
 * `listen(0)` may be taken, before the service binds it, as the source port of any outgoing connection
 * (a test suite opens hundreds, to Redis, PostgreSQL and the emulator), which failed a service's start with
 * EADDRINUSE now and then. Below the range only another listener can take it, and ports are picked at
 * random there, so two suites picking at once rarely meet. Elsewhere, the kernel's choice.
 */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const range = belowEphemeralRange();
  if (range) {
    for (let attempt = 0; attempt < 50; attempt++) {
      const port = range.from + Math.floor(Math.random() * (range.to - range.from));
      if (await canListen(host, port)) return port;
    }
  }
  return kernelPort(host);
}

/** Up to 12,000 ports just below the kernel's ephemeral range, or null when it is unknown or too low. */
export function belowEphemeralRange(rangeFile = '/proc/sys/net/ipv4/ip_local_port_range'): { from: number; to: number } | null {
  let low: number;
  try {
    low = Number(readFileSync(rangeFile, 'utf8').trim().split(/\s+/)[0]);
  } catch {
    return null;
  }
  if (!Number.isInteger(low) || low <= 11_024) return null;
  return { from: Math.max(11_024, low - 12_000), to: low };
}

function canListen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

function kernelPort(host: string): Promise<number> {
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
