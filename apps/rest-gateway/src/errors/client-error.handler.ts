import { maxHeaderSize } from 'node:http';
import { type Duplex } from 'node:stream';
import { problem } from './problem-json.filter';

/** How long a rejected connection may keep sending before it is cut. */
const DRAIN_MS = 1_000;

const ANSWERS: Readonly<Record<string, { status: number; reason: string; detail: string }>> = {
  HPE_HEADER_OVERFLOW: { status: 431, reason: 'HEADERS_TOO_LARGE', detail: `Request headers are too large: at most ${maxHeaderSize} bytes in total` },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, reason: 'REQUEST_TIMEOUT', detail: 'The request was not received in time' },
};

/**
 * Node's `clientError` handler, for errors before there is a request to route (headers over the size
 * limit, a malformed request line, a request timeout): answers problem+json and closes the connection,
 * as Fastify's default handler does with plain JSON. The socket is ended rather than destroyed, and what
 * the client still sends is drained for a moment, so that the kernel does not reset the connection and
 * lose the answer; a client that keeps sending is cut after `DRAIN_MS`.
 */
export function answerClientErrorAsProblem(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const answer = ANSWERS[error.code ?? ''] ?? { status: 400, reason: 'MALFORMED_REQUEST', detail: `Malformed HTTP request (${error.code ?? error.message})` };
  const body = problem(answer.status, answer.reason, answer.detail, '');
  const json = JSON.stringify(body);
  if (socket.writable) {
    socket.end(`HTTP/1.1 ${body.status} ${body.title}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(json)}\r\nConnection: close\r\n\r\n${json}`);
  }
  socket.resume();
  setTimeout(() => socket.destroy(), DRAIN_MS).unref();
}
