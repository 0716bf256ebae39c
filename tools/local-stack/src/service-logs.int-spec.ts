import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { type ChildProcess } from 'node:child_process';
import { makeTempDir } from '@bnpl/service-launchers';
import { ServiceLogs } from './service-logs';

/** Enough of a child process for attach(): its two output streams. */
function fakeChild(): ChildProcess & { stdout: PassThrough; stderr: PassThrough } {
  return Object.assign(new EventEmitter(), { stdout: new PassThrough(), stderr: new PassThrough() }) as unknown as ChildProcess & { stdout: PassThrough; stderr: PassThrough };
}

describe('ServiceLogs', () => {
  const dir = makeTempDir('bnpl-service-logs-');
  afterAll(() => dir.remove());

  it("writes each service's stdout and stderr to its own file, and keeps the file across a restart", async () => {
    const logs = new ServiceLogs(dir.path, false);
    const first = fakeChild();
    logs.attach('rest-gateway', first);
    first.stdout.write('{"level":"info","message":"one"}\n');
    first.stderr.write('{"level":"error","message":"two"}\n');
    const restarted = fakeChild();
    logs.attach('rest-gateway', restarted);
    restarted.stdout.write('{"level":"info","message":"three"}\n');
    const other = fakeChild();
    logs.attach('cdc-ingestor', other);
    other.stdout.write('{"level":"info","message":"cdc"}\n');
    await new Promise((resolve) => setImmediate(resolve));
    await logs.close();
    expect(readFileSync(logs.fileOf('rest-gateway'), 'utf8')).toBe('{"level":"info","message":"one"}\n{"level":"error","message":"two"}\n{"level":"info","message":"three"}\n');
    expect(readFileSync(logs.fileOf('cdc-ingestor'), 'utf8')).toBe('{"level":"info","message":"cdc"}\n');
  });

  it('with --verbose, prints the lines on the terminal prefixed with the service, and writes no file', async () => {
    const logs = new ServiceLogs(`${dir.path}/verbose`, true);
    const written: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (written.push(String(chunk)), true));
    try {
      const child = fakeChild();
      logs.attach('grpc-serving', child);
      child.stdout.write('a\nb\n');
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      write.mockRestore();
    }
    expect(written.join('')).toBe('grpc-serving    | a\ngrpc-serving    | b\n');
    expect(() => readFileSync(logs.fileOf('grpc-serving'))).toThrow(/ENOENT/);
  });
});
