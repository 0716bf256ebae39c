import { readFileSync } from 'node:fs';
import { childPids } from './cpu-meter';

/** Resident set size of a process, and its peak so far (VmHWM), from /proc, in MB. */
export function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

/** The peak RSS (MB) of each process of a tree (a service and its workers), largest first; unreadable ones left out. */
export function peakRssOfTree(pid: number): number[] {
  const peaks: number[] = [];
  const visit = (p: number) => {
    try {
      peaks.push(Math.round(memoryOf(p).peakMb));
    } catch {
      return;
    }
    for (const child of childPids(p)) visit(child);
  };
  visit(pid);
  return peaks.sort((a, b) => b - a);
}
