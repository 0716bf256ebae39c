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
