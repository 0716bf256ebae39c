import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { childPids, CLOCK_TICKS_PER_SECOND, procStat } from './cpu-meter';

/**
 * PostgreSQL's CPU split by the client process each backend serves, between this call and the returned
 * function's: which component's queries (or replication stream) the database spends its time on. A backend
 * is attributed by its client's TCP port (in its process title, `127.0.0.1(port)`), whose socket `ss`
 * names the owner of; the owner, or an ancestor of it, is one of `clients`. Backends that exit within the
 * window are not seen at its end: measure while the clients are connected. Null where /proc or `ss` is
 * not available.
 */
export function startPostgresClientCpu(postmasterPid: number, clients: Readonly<Record<string, number>>): () => Record<string, number> | null {
  const before = sample(postmasterPid, clients);
  return () => {
    const after = sample(postmasterPid, clients);
    if (before === null || after === null) return null;
    const out: Record<string, number> = Object.fromEntries([...Object.keys(clients), 'other'].map((name) => [name, 0]));
    for (const [pid, { client, ticks }] of after) out[client] += ticks - (before.get(pid)?.ticks ?? 0);
    return Object.fromEntries(Object.entries(out).map(([name, ticks]) => [name, Math.round((ticks / CLOCK_TICKS_PER_SECOND) * 10) / 10]));
  };
}

function sample(postmasterPid: number, clients: Readonly<Record<string, number>>): Map<number, { client: string; ticks: number }> | null {
  let owners: Map<string, number>;
  try {
    owners = socketOwners();
  } catch {
    return null;
  }
  const out = new Map<number, { client: string; ticks: number }>();
  for (const pid of childPids(postmasterPid)) {
    const stat = procStat(pid);
    if (stat === null) continue;
    const port = clientPortOf(readText(`/proc/${pid}/cmdline`));
    const owner = port === undefined ? undefined : owners.get(port);
    out.set(pid, { client: owner === undefined ? 'other' : clientOf(owner, clients), ticks: stat.ownTicks });
  }
  return out;
}

/** Local port -> pid of the process holding that TCP socket (`ss -tnpH`). */
function socketOwners(): Map<string, number> {
  const owners = new Map<string, number>();
  for (const line of execFileSync('ss', ['-tnpH'], { encoding: 'utf8' }).split('\n')) {
    const socket = parseSsLine(line);
    if (socket) owners.set(socket.localPort, socket.pid);
  }
  return owners;
}

/** A backend's client port from its process title (`postgres: app bnpl 127.0.0.1(54012) idle`). */
export function clientPortOf(title: string): string | undefined {
  return /127\.0\.0\.1\((\d+)\)/.exec(title)?.[1];
}

/** The local loopback port and owning pid of one line of `ss -tnpH`, when it has both. */
export function parseSsLine(line: string): { localPort: string; pid: number } | undefined {
  const local = /^\S+\s+\d+\s+\d+\s+127\.0\.0\.1:(\d+)\s/.exec(line)?.[1];
  const pid = /pid=(\d+)/.exec(line)?.[1];
  return local === undefined || pid === undefined ? undefined : { localPort: local, pid: Number(pid) };
}

/** The name of the client whose process tree holds `pid`, or 'other'. */
function clientOf(pid: number, clients: Readonly<Record<string, number>>): string {
  for (let p = pid, hops = 0; p > 1 && hops < 20; p = procStat(p)?.parentPid ?? 0, hops++) {
    for (const [name, clientPid] of Object.entries(clients)) if (clientPid === p) return name;
  }
  return 'other';
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
