/**
 * Sums, per metric name, every sample of a Prometheus text exposition whatever its labels: the ratios the
 * benchmark reports are over all series of a counter. Comments, and names not asked for, are skipped.
 */
export function sumSamples(text: string, names: readonly string[]): Map<string, number> {
  const wanted = new Set(names);
  const sums = new Map<string, number>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)?.[0];
    if (!name || !wanted.has(name)) continue;
    // The value follows the labels (which may hold spaces inside quotes) and precedes an optional timestamp.
    const afterLabels = line[name.length] === '{' ? line.slice(closingBrace(line, name.length) + 1) : line.slice(name.length);
    const value = Number(afterLabels.trim().split(/\s+/)[0]);
    if (Number.isFinite(value)) sums.set(name, (sums.get(name) ?? 0) + value);
  }
  return sums;
}

/** Index of the `}` closing the label set opened at `open`, skipping quoted label values. */
function closingBrace(line: string, open: number): number {
  let quoted = false;
  for (let i = open + 1; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '}') return i;
  }
  return line.length;
}

/** Cumulative bucket counts of a Prometheus histogram (`<name>_bucket{le="..."}`), summed over label sets, by upper bound. */
export function histogramBuckets(text: string, name: string): Map<number, number> {
  const buckets = new Map<number, number>();
  const prefix = `${name}_bucket{`;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line.startsWith(prefix)) continue;
    const le = /le="([^"]+)"/.exec(line)?.[1];
    const close = closingBrace(line, name.length + '_bucket'.length);
    const value = Number(line.slice(close + 1).trim().split(/\s+/)[0]);
    if (le === undefined || !Number.isFinite(value)) continue;
    const bound = le === '+Inf' ? Infinity : Number(le);
    buckets.set(bound, (buckets.get(bound) ?? 0) + value);
  }
  return buckets;
}

/**
 * The upper bound of the bucket holding quantile `q` of the observations between two scrapes of the same
 * histogram (after minus before): an upper estimate, as precise as the bucket boundaries. Null when nothing
 * was observed.
 */
export function bucketQuantile(before: Map<number, number>, after: Map<number, number>, q: number): number | null {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const total = (after.get(Infinity) ?? 0) - (before.get(Infinity) ?? 0);
  if (total <= 0) return null;
  for (const bound of bounds) if ((after.get(bound) ?? 0) - (before.get(bound) ?? 0) >= q * total) return bound;
  return Infinity;
}
