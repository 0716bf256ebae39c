import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

/** Share of one core used during a measurement, in percent (200 = both cores of a 2-core machine). */
export interface CpuShare {
  /** This process: the load generator. */
  readonly generatorPercent: number;
  /**
   * Child processes of this one that exited during the measurement (wrk, h2load run for it): their CPU over
   * the wall time of the measurement; null where /proc is not available.
   */
  readonly generatorChildrenPercent?: number | null;
  /** The server under load; null where /proc is not available. */
  readonly serverPercent: number | null;
}

export interface CpuMeterOptions {
  /**
   * Count the server's descendants too (the workers of a Node cluster), alive or exited: the CPU of the
   * whole service rather than of its first process. Off by default.
   */
  readonly serverProcessTree?: boolean;
}

interface Snapshot {
  readonly at: number;
  readonly generatorMs: number;
  readonly generatorChildrenMs: number | null;
  readonly serverMs: number | null;
}

/** Linux's clock tick (`getconf CLK_TCK`), 100 on every mainstream kernel configuration. */
export const CLOCK_TICKS_PER_SECOND = 100;

/**
 * CPU time of the generator and of the server process around a scenario: on a shared 2-core machine it
 * tells whether a throughput was the server's limit or the generator's.
 */
export function startCpuMeter(serverPid: number | undefined, options: CpuMeterOptions = {}): () => CpuShare {
  const before = snapshot(serverPid, options);
  return () => {
    const after = snapshot(serverPid, options);
    const wallMs = after.at - before.at;
    const percent = (ms: number) => Math.round((ms / wallMs) * 1000) / 10;
    const difference = (a: number | null, b: number | null) => (a === null || b === null ? null : percent(a - b));
    return {
      generatorPercent: percent(after.generatorMs - before.generatorMs),
      generatorChildrenPercent: difference(after.generatorChildrenMs, before.generatorChildrenMs),
      serverPercent: difference(after.serverMs, before.serverMs),
    };
  };
}

function snapshot(serverPid: number | undefined, options: CpuMeterOptions): Snapshot {
  const { user, system } = process.cpuUsage();
  const self = procStat(process.pid);
  return {
    at: performance.now(),
    generatorMs: (user + system) / 1000,
    generatorChildrenMs: self === null ? null : ticksToMs(self.reapedChildrenTicks),
    serverMs: serverPid === undefined ? null : options.serverProcessTree ? treeCpuMs(serverPid) : procCpuMs(serverPid),
  };
}

/** PostgreSQL's postmaster, the parent of every backend: the first line of its data directory's postmaster.pid. */
export function postmasterPid(dataDir: string): number {
  return Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
}

/** The process of the redis-server at `url`, as it reports itself. */
export function redisServerPid(url: string): number {
  const info = execFileSync('redis-cli', ['-u', url, 'INFO', 'server'], { encoding: 'utf8' });
  return Number(/process_id:(\d+)/.exec(info)?.[1]);
}

/** CPU seconds of each named group of process trees between this call and the returned function's. */
export function startComponentCpu(groups: Readonly<Record<string, readonly number[]>>): () => Record<string, number | null> {
  const read = () => {
    const out: Record<string, number | null> = {};
    for (const [name, pids] of Object.entries(groups)) {
      let sum: number | null = 0;
      for (const pid of pids) {
        const ms = treeCpuMs(pid);
        sum = sum === null || ms === null ? null : sum + ms;
      }
      out[name] = sum;
    }
    return out;
  };
  const before = read();
  return () => {
    const after = read();
    return Object.fromEntries(Object.entries(after).map(([name, ms]) => [name, ms === null || before[name] === null ? null : Math.round((ms - (before[name] as number)) / 100) / 10]));
  };
}

/** utime + stime of a process from /proc/<pid>/stat, in ms; null when unreadable (not Linux, exited). */
function procCpuMs(pid: number): number | null {
  const stat = procStat(pid);
  return stat === null ? null : ticksToMs(stat.ownTicks);
}

/**
 * A process and its descendants, in ms: each one's own time, plus the children each has waited for
 * (cutime + cstime), so a worker that exited during the measurement still counts (PostgreSQL's backends, a
 * Node cluster's workers). null where /proc is not available.
 */
function treeCpuMs(pid: number): number | null {
  const ticks = treeTicks(pid);
  return ticks === null ? null : ticksToMs(ticks);
}

function treeTicks(pid: number): number | null {
  const stat = procStat(pid);
  if (stat === null) return null;
  return childPids(pid).reduce((sum, child) => sum + (treeTicks(child) ?? 0), stat.ownTicks + stat.reapedChildrenTicks);
}

/** /proc/<pid>/stat's parent and CPU fields (in clock ticks); null when unreadable. */
export function procStat(pid: number): { parentPid: number; ownTicks: number; reapedChildrenTicks: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces, hence the last ')'): state is field 3, ppid 4,
    // utime 14, stime 15, cutime 16, cstime 17.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { parentPid: Number(fields[1]), ownTicks: Number(fields[11]) + Number(fields[12]), reapedChildrenTicks: Number(fields[13]) + Number(fields[14]) };
  } catch {
    return null;
  }
}

/** Children of every thread of `pid` (/proc/<pid>/task/<tid>/children); none when unreadable. */
export function childPids(pid: number): number[] {
  try {
    const tasks = readdirSync(`/proc/${pid}/task`);
    return tasks.flatMap((tid) => {
      try {
        return readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
      } catch {
        return [];
      }
    });
  } catch {
    return [];
  }
}

const ticksToMs = (ticks: number) => (ticks / CLOCK_TICKS_PER_SECOND) * 1000;
