import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { type IncomingMessage } from 'node:http';

export interface DrainOptions {
  /** Most bytes of a refused body read and discarded before the connection is cut. */
  readonly maxBytes: number;
  /** Longest time spent reading a refused body before the connection is cut. */
  readonly maxMs: number;
}

/** Enough for the bodies common clients send whole before reading the answer (10 MB, the case, and more). */
export const DEFAULT_DRAIN: DrainOptions = { maxBytes: 64 * 1024 * 1024, maxMs: 10_000 };

/**
 * Makes an answer given before the request body was read (413 for a body over the limit, or any other
 * early error) reach the clients that send their whole body before reading (Node's fetch, Python's
 * http.client). Fastify answers such errors with `Connection: close`, and Node then closes the socket while
 * the client is still sending: the unread bytes make the kernel reset the connection, and the client sees a
 * reset instead of the answer. Here the rest of the body is read and discarded first, up to `maxBytes`
 * and `maxMs` (past them the connection is cut: a client streaming without end cannot hold it), then the
 * answer is sent and the connection is reusable as usual (Node has already sent `100 Continue` to a client
 * that waits for it, so such a client sends its body too). Call before the app listens.
 */
export function drainRefusedBodies(app: NestFastifyApplication, options: DrainOptions = DEFAULT_DRAIN): void {
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onSend', async (request, reply, payload) => {
      const raw = request.raw;
      if (reply.statusCode < 400 || raw.complete || raw.readableEnded || raw.destroyed) return payload;
      reply.removeHeader('connection');
      // The answer waits for the body's end: a client that asked to close (or whose connection Node closes
      // after the answer) would otherwise be reset by the bytes still in flight.
      await drain(raw, options);
      return payload;
    });
}

/**
 * Reads and discards what is left of `raw`; resolves at its end, or once the connection is cut past the
 * bounds (or by the client).
 */
function drain(raw: IncomingMessage, { maxBytes, maxMs }: DrainOptions): Promise<void> {
  return new Promise((resolve) => {
    let read = 0;
    const done = () => {
      clearTimeout(timer);
      raw.removeListener('data', onData);
      raw.removeListener('end', done);
      raw.removeListener('close', done);
      resolve();
    };
    const cut = () => {
      done();
      raw.socket?.destroy();
    };
    const timer = setTimeout(cut, maxMs);
    timer.unref();
    const onData = (chunk: Buffer | string) => {
      read += chunk.length;
      if (read > maxBytes) cut();
    };
    raw.on('data', onData);
    raw.once('end', done);
    raw.once('close', done);
    raw.resume();
  });
}
