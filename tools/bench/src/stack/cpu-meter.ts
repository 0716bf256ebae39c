import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/** Share of one core used during a measurement, in percent (200 = both cores of a 2-core machine). */
export interface CpuShare {
  /** This process: the load generator. */
  readonly generatorPercent: number;
  /** The server under load; null where /proc is not available. */
  readonly serverPercent: number | null;
}

interface Snapshot {
  readonly at: number;
  readonly generatorMs: number;
  readonly serverMs: number | null;
}

/** Linux's clock tick (`getconf CLK_TCK`), 100 on every mainstream kernel configuration. */
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * CPU time of the generator and of the server process around a scenario: on a shared 2-core machine it
 * tells whether a throughput was the server's limit or the generator's.
 */
export function startCpuMeter(serverPid: number | undefined): () => CpuShare {
  const before = snapshot(serverPid);
  return () => {
    const after = snapshot(serverPid);
    const wallMs = after.at - before.at;
    const percent = (ms: number) => Math.round((ms / wallMs) * 1000) / 10;
    return {
      generatorPercent: percent(after.generatorMs - before.generatorMs),
      serverPercent: after.serverMs === null || before.serverMs === null ? null : percent(after.serverMs - before.serverMs),
    };
  };
}

function snapshot(serverPid: number | undefined): Snapshot {
  const { user, system } = process.cpuUsage();
  return { at: performance.now(), generatorMs: (user + system) / 1000, serverMs: serverPid === undefined ? null : procCpuMs(serverPid) };
}

/** utime + stime of a process from /proc/<pid>/stat, in ms; null when unreadable (not Linux, exited). */
function procCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces, hence the last ')'): state is field 3, utime 14.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND) * 1000;
  } catch {
    return null;
  }
}
