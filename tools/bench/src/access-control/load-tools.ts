import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What one load run measured. */
export interface LoadResult {
  readonly requests: number;
  /** Answers other than success: HTTP non-2xx for wrk; failed or errored streams for h2load. */
  readonly failures: number;
  readonly seconds: number;
  readonly throughputRps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/** `4.80ms`, `950.00us`, `1.20s` -> ms. */
export function wrkDurationMs(text: string): number {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(text.trim());
  if (!m) throw new Error(`not a wrk duration: "${text}"`);
  const value = Number(m[1]);
  return { us: value / 1000, ms: value, s: value * 1000, m: value * 60_000 }[m[2] as 'us' | 'ms' | 's' | 'm'];
}

/** wrk's `--latency` report -> LoadResult. */
export function parseWrk(output: string): LoadResult {
  const number = (re: RegExp, what: string) => {
    const m = re.exec(output);
    if (!m) throw new Error(`wrk output without ${what}:\n${output.slice(0, 2000)}`);
    return m;
  };
  const [, requests, seconds] = number(/(\d+) requests in ([\d.]+)(s|m)/, 'a request count');
  const rps = Number(number(/Requests\/sec:\s+([\d.]+)/, 'Requests/sec')[1]);
  // wrk pads its columns: a latency of a second or more ends its line with a space.
  const p50 = wrkDurationMs(number(/^\s+50%\s+(\S+)\s*$/m, 'a 50% latency')[1]);
  const p99 = wrkDurationMs(number(/^\s+99%\s+(\S+)\s*$/m, 'a 99% latency')[1]);
  const failures = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(output)?.[1] ?? 0) + socketErrors(output);
  return { requests: Number(requests), failures, seconds: Number(seconds), throughputRps: rps, p50Ms: p50, p99Ms: p99 };
}

function socketErrors(output: string): number {
  const m = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  return m ? Number(m[1]) + Number(m[2]) + Number(m[3]) + Number(m[4]) : 0;
}

/** h2load's summary and its `--log-file` (tab-separated: start µs, status, elapsed µs per request) -> LoadResult. */
export function parseH2load(output: string, log: string): LoadResult {
  return mergeH2loadRuns([{ output, log }]);
}

/**
 * Several h2load processes run side by side, as one LoadResult: requests, failures and throughput summed,
 * latency percentiles over every request of every log, seconds the longest run's.
 */
export function mergeH2loadRuns(runs: ReadonlyArray<{ readonly output: string; readonly log: string }>): LoadResult {
  let requests = 0;
  let failures = 0;
  let seconds = 0;
  let throughputRps = 0;
  const latencies: number[] = [];
  for (const { output, log } of runs) {
    const finished = /finished in ([\d.]+)s, ([\d.]+) req\/s/.exec(output);
    const counts = /requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored, (\d+) timeout/.exec(output);
    if (!finished || !counts) throw new Error(`h2load output without its summary:\n${output.slice(0, 2000)}`);
    requests += Number(counts[3]);
    failures += Number(counts[5]) + Number(counts[6]) + Number(counts[7]);
    seconds = Math.max(seconds, Number(finished[1]));
    throughputRps += Number(finished[2]);
    for (const line of log.split('\n')) {
      const ms = Number(line.split('\t')[2]) / 1000;
      if (line && Number.isFinite(ms)) latencies.push(ms);
    }
  }
  latencies.sort((a, b) => a - b);
  const at = (q: number) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)] : NaN);
  return { requests, failures, seconds, throughputRps: Math.round(throughputRps * 100) / 100, p50Ms: Math.round(at(0.5) * 1000) / 1000, p99Ms: Math.round(at(0.99) * 1000) / 1000 };
}

function run(command: string, args: readonly string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, [...args], { timeout: timeoutMs, maxBuffer: 16 * 2 ** 20 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`${command} failed: ${error.message}\n${stderr}`));
      resolve(stdout);
    });
  });
}

/**
 * A Lua script for wrk that asks for customers 1..customers in turn (each with merchant 1 + id % merchants),
 * the same sequence on every run, so that runs with access control on and off read the same data.
 */
export function writeWrkScript(dir: string, customers: number, merchants: number): string {
  const file = join(dir, 'features.lua');
  writeFileSync(
    file,
    `local n = 0
request = function()
  n = n + 1
  local id = (n % ${customers}) + 1
  return wrk.format(nil, "/v1/customers/" .. id .. "/features?service=credit_decision_v1&merchant_id=" .. ((id % ${merchants}) + 1) .. "&requested_amount_minor=12000&currency=EUR")
end
`,
  );
  return file;
}

export interface WrkRun {
  readonly baseUrl: string;
  readonly script: string;
  readonly seconds: number;
  readonly connections: number;
  readonly headers?: Readonly<Record<string, string>>;
}

/** `wrk -t1 -c<connections> -d<seconds>s --latency -s <script> [-H ...] <url>`: one thread (the server needs the other core). */
export async function runWrk(options: WrkRun): Promise<LoadResult> {
  const headers = Object.entries(options.headers ?? {}).flatMap(([k, v]) => ['-H', `${k}: ${v}`]);
  const output = await run('wrk', ['-t1', `-c${options.connections}`, `-d${options.seconds}s`, '--latency', '-s', options.script, ...headers, options.baseUrl], (options.seconds + 30) * 1000);
  return parseWrk(output);
}

export interface H2loadRun {
  readonly url: string;
  /** One gRPC message, length-prefixed. */
  readonly requestFile: string;
  readonly logFile: string;
  readonly seconds: number;
  readonly clients: number;
  readonly streamsPerClient: number;
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Requests per second of each client (h2load `--rps`): a fixed rate instead of as fast as the server
   * answers. Latency is then timed from when a request was sent, not from when it was due.
   */
  readonly rpsPerClient?: number;
}

/** `h2load -D <s> -c <clients> -m <streams> -t 1 -d <req.bin> -H content-type: application/grpc -H te: trailers ... <url>`. */
export async function runH2load(options: H2loadRun): Promise<LoadResult> {
  const headers = Object.entries({ 'content-type': 'application/grpc', te: 'trailers', ...options.headers }).flatMap(([k, v]) => ['-H', `${k}: ${v}`]);
  writeFileSync(options.logFile, '');
  const output = await run(
    'h2load',
    [
      '-D',
      String(options.seconds),
      '-c',
      String(options.clients),
      '-m',
      String(options.streamsPerClient),
      '-t',
      '1',
      ...(options.rpsPerClient === undefined ? [] : [`--rps=${options.rpsPerClient}`]),
      '-d',
      options.requestFile,
      ...headers,
      `--log-file=${options.logFile}`,
      options.url,
    ],
    (options.seconds + 30) * 1000,
  );
  return parseH2load(output, readFileSync(options.logFile, 'utf8'));
}

/** A gRPC message as HTTP/2 carries it: a 0 byte (not compressed), a 4-byte big-endian length, the protobuf. */
export function grpcFrame(message: Uint8Array): Buffer {
  const frame = Buffer.alloc(5 + message.length);
  frame.writeUInt8(0, 0);
  frame.writeUInt32BE(message.length, 1);
  Buffer.from(message).copy(frame, 5);
  return frame;
}

export interface H2loadFleetRun {
  /** `http://host:port`. */
  readonly origin: string;
  /** Paths (with their query) in the order they are asked, e.g. customers 1..N. */
  readonly paths: readonly string[];
  /** Requests per second, all processes together. */
  readonly rate: number;
  readonly processes: number;
  readonly seconds: number;
  readonly dir: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * A fixed rate of HTTP/1.1 requests from `processes` h2load processes, one connection each at `rate /
 * processes` per second (`--h1 -c 1 --rps`), each walking `paths` from its own offset: one h2load with many
 * connections would send every connection's requests in step, the same path from each within a
 * millisecond (cache hits no real traffic gets). C processes cost the machine little beside the server.
 * Latency is timed from when a request was sent: a server stall delays that connection's next requests
 * without counting the wait (coordinated omission), which the Node open-loop generator avoids.
 */
export async function runH2loadFleet(options: H2loadFleetRun): Promise<LoadResult> {
  const perProcess = Math.max(1, Math.round(options.rate / options.processes));
  const headers = Object.entries(options.headers ?? {}).flatMap(([k, v]) => ['-H', `${k}: ${v}`]);
  const runs = await Promise.all(
    Array.from({ length: options.processes }, async (_, p) => {
      const offset = Math.floor((p * options.paths.length) / options.processes);
      const uris = [...options.paths.slice(offset), ...options.paths.slice(0, offset)].map((path) => `${options.origin}${path}`);
      const uriFile = join(options.dir, `h2load-fleet-${p}.txt`);
      const logFile = join(options.dir, `h2load-fleet-${p}.log`);
      writeFileSync(uriFile, `${uris.join('\n')}\n`);
      writeFileSync(logFile, '');
      const output = await run('h2load', ['--h1', '-c', '1', `--rps=${perProcess}`, '-D', String(options.seconds), '-i', uriFile, ...headers, `--log-file=${logFile}`], (options.seconds + 30) * 1000);
      return { output, log: readFileSync(logFile, 'utf8') };
    }),
  );
  return mergeH2loadRuns(runs);
}

