import { grpcFrame, mergeH2loadRuns, parseH2load, parseWrk, wrkDurationMs } from './load-tools';

const WRK = `Running 8s test @ http://127.0.0.1:3000
  1 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     5.10ms    2.10ms  40.00ms   80.00%
    Req/Sec     6.30k   400.00     7.00k    70.00%
  Latency Distribution
     50%  850.00us
     75%    6.00ms
     90%    7.50ms
     99%   12.50ms
  50320 requests in 8.00s, 180.00MB read
  Non-2xx or 3xx responses: 5
Requests/sec:   6290.00
Transfer/sec:     18.00MB
`;

const H2LOAD = `finished in 8.00s, 1500.25 req/s, 4.20MB/s
requests: 12002 total, 12034 started, 12002 done, 12000 succeeded, 2 failed, 0 errored, 0 timeout
status codes: 12000 2xx, 0 3xx, 0 4xx, 0 5xx
`;

describe('load tool output', () => {
  it('reads wrk durations in every unit', () => {
    expect(wrkDurationMs('850.00us')).toBe(0.85);
    expect(wrkDurationMs('12.50ms')).toBe(12.5);
    expect(wrkDurationMs('1.20s')).toBe(1200);
    expect(() => wrkDurationMs('soon')).toThrow(/not a wrk duration/);
  });

  it("reads wrk's report", () => {
    expect(parseWrk(WRK)).toEqual({ requests: 50320, failures: 5, seconds: 8, throughputRps: 6290, p50Ms: 0.85, p99Ms: 12.5 });
    expect(() => parseWrk('garbage')).toThrow(/wrk output without/);
  });

  it('reads latencies of a second or more, which wrk pads with a trailing space', () => {
    const slow = WRK.replace('     50%  850.00us', '     50%    1.05s ').replace('     99%   12.50ms', '     99%    1.72s ');
    expect(parseWrk(slow)).toMatchObject({ p50Ms: 1050, p99Ms: 1720 });
  });

  it("reads h2load's summary and computes percentiles from its log", () => {
    const log = Array.from({ length: 100 }, (_, i) => `1700000000000000\t200\t${(i + 1) * 1000}`).join('\n');
    expect(parseH2load(H2LOAD, log)).toEqual({ requests: 12002, failures: 2, seconds: 8, throughputRps: 1500.25, p50Ms: 50, p99Ms: 99 });
  });

  it('merges h2load processes run side by side: counts and rates summed, percentiles over every request', () => {
    const fast = Array.from({ length: 99 }, (_, i) => `1700000000000000\t200\t${(i + 1) * 100}`).join('\n');
    const slow = `1700000000000000\t200\t500000\n`;
    const merged = mergeH2loadRuns([
      { output: H2LOAD, log: fast },
      { output: H2LOAD.replace('finished in 8.00s', 'finished in 8.01s'), log: slow },
    ]);
    expect(merged).toEqual({ requests: 24004, failures: 4, seconds: 8.01, throughputRps: 3000.5, p50Ms: 5, p99Ms: 9.9 });
    expect(mergeH2loadRuns([{ output: H2LOAD, log: `${fast}\n${slow}` }]).p99Ms).toBe(9.9);
  });

  it('frames a gRPC message', () => {
    expect([...grpcFrame(Uint8Array.from([1, 2, 3]))]).toEqual([0, 0, 0, 0, 3, 1, 2, 3]);
  });
});
