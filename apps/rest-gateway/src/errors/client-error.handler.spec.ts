import { Duplex } from 'node:stream';
import { answerClientErrorAsProblem } from './client-error.handler';

/** A socket that records what is written to it. */
function fakeSocket() {
  const written: string[] = [];
  const socket = new Duplex({
    read: () => undefined,
    write(chunk: Buffer, _encoding, callback) {
      written.push(chunk.toString());
      callback();
    },
  });
  return { socket, written: () => written.join('') };
}

const clientError = (code: string) => Object.assign(new Error(code), { code });

describe('answerClientErrorAsProblem', () => {
  it('answers oversized headers with 431 problem+json and closes the connection', async () => {
    const { socket, written } = fakeSocket();
    answerClientErrorAsProblem(clientError('HPE_HEADER_OVERFLOW'), socket);
    await new Promise((resolve) => socket.once('finish', resolve));
    const [head, body] = written().split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
    expect(head).toContain('Content-Type: application/problem+json');
    expect(head).toContain('Connection: close');
    expect(head).toContain(`Content-Length: ${Buffer.byteLength(body)}`);
    expect(JSON.parse(body)).toMatchObject({ status: 431, reason: 'HEADERS_TOO_LARGE', detail: expect.stringMatching(/^Request headers are too large: at most \d+ bytes in total$/) });
    socket.destroy();
  });

  it('answers a malformed request with 400', async () => {
    const { socket, written } = fakeSocket();
    answerClientErrorAsProblem(clientError('HPE_INVALID_METHOD'), socket);
    await new Promise((resolve) => socket.once('finish', resolve));
    expect(written()).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n[\s\S]*"reason":"MALFORMED_REQUEST"/);
    socket.destroy();
  });

  it('leaves a reset connection alone', () => {
    const { socket, written } = fakeSocket();
    answerClientErrorAsProblem(clientError('ECONNRESET'), socket);
    expect(written()).toBe('');
    socket.destroy();
  });
});
