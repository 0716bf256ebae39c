/** One worker's Prometheus text exposition, and the index that labels its series. */
export interface WorkerExposition {
  readonly worker: number;
  readonly text: string;
}

/**
 * The expositions of a service's worker processes as one: every sample gains a `worker` label (so no two
 * workers' series collide and sums over workers stay right for counters, histograms and gauges alike), and
 * each metric family is written once, with its HELP and TYPE, holding the samples of every worker that
 * has it. Families keep the order in which they are first met; workers' samples follow worker order.
 */
export function mergeWorkerExpositions(expositions: readonly WorkerExposition[]): string {
  const families = new Map<string, { header: string[]; samples: string[] }>();
  for (const { worker, text } of [...expositions].sort((a, b) => a.worker - b.worker)) {
    let current: { header: string[]; samples: string[] } | undefined;
    let headerOpen = false;
    for (const line of text.split('\n')) {
      if (line === '') continue;
      const help = /^# HELP (\S+)/.exec(line);
      if (help) {
        current = families.get(help[1]);
        headerOpen = current === undefined;
        if (!current) families.set(help[1], (current = { header: [line], samples: [] }));
        continue;
      }
      if (line.startsWith('#')) {
        // TYPE (and UNIT) lines belong to the family's header, written once.
        if (current && headerOpen) current.header.push(line);
        continue;
      }
      if (!current) {
        // A sample before any HELP line: a family of its own, named by the sample.
        const name = sampleName(line);
        current = families.get(name) ?? { header: [], samples: [] };
        families.set(name, current);
        headerOpen = false;
      }
      current.samples.push(withWorkerLabel(line, worker));
    }
  }
  let out = '';
  for (const { header, samples } of families.values()) out += `${[...header, ...samples].join('\n')}\n`;
  return out;
}

function sampleName(line: string): string {
  const end = line.search(/[{ ]/);
  return end < 0 ? line : line.slice(0, end);
}

/** `name{a="b"} 1` -> `name{worker="0",a="b"} 1`; `name 1` -> `name{worker="0"} 1`. */
export function withWorkerLabel(line: string, worker: number): string {
  const end = line.search(/[{ ]/);
  if (end < 0) return line;
  const label = `worker="${worker}"`;
  if (line[end] === ' ') return `${line.slice(0, end)}{${label}}${line.slice(end)}`;
  return line[end + 1] === '}' ? `${line.slice(0, end)}{${label}${line.slice(end + 1)}` : `${line.slice(0, end)}{${label},${line.slice(end + 1)}`;
}
