import { fileURLToPath } from 'node:url';
import { relative, sep } from 'node:path';

/** The parts of a V8 `.cpuprofile` (what `node --cpu-prof` writes) that self time is computed from. */
export interface CpuProfile {
  readonly nodes: ReadonlyArray<{
    readonly id: number;
    readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number; readonly columnNumber: number };
  }>;
  readonly startTime: number;
  readonly endTime: number;
  /** The node sampled, one per sample. */
  readonly samples: readonly number[];
  /** µs from the previous sample (from startTime for the first), one per sample. */
  readonly timeDeltas: readonly number[];
}

export interface SelfTime {
  readonly name: string;
  /** `path:line` (1-based), the path relative to the workspace where it is inside it; empty for V8's own entries. */
  readonly location: string;
  readonly category: string;
  readonly selfMs: number;
  /** Of the non-idle time; null for `(idle)`. */
  readonly percent: number | null;
}

export interface ProfileSummary {
  readonly profiles: number;
  /** Sampled time, idle included, summed over the profiles. */
  readonly totalMs: number;
  readonly nonIdleMs: number;
  /** The `top` functions by self time, largest first. */
  readonly functions: readonly SelfTime[];
  /** Every category, largest first; `(idle)` last. */
  readonly categories: ReadonlyArray<{ readonly category: string; readonly selfMs: number; readonly percent: number | null }>;
}

const IDLE = '(idle)';
/** V8's own entries: time that is not a function's. */
const V8_ENTRIES = new Set(['(garbage collector)', '(program)', IDLE, '(root)']);

/**
 * What a sampled function belongs to: `libs/<lib>`, `apps/<app>` (or the first two segments of another
 * workspace path), `node_modules/<package>` (the innermost one, scoped names whole), `node:internal` for
 * Node's builtins, V8's `(garbage collector)`, `(program)` and `(idle)`, `(native)` for V8 builtins without a
 * script, and `(other)` for scripts outside the workspace.
 */
export function categoryOf(functionName: string, url: string, workspaceRoot: string): string {
  if (V8_ENTRIES.has(functionName) && url === '') return functionName;
  if (url.startsWith('node:')) return 'node:internal';
  if (url.startsWith('wasm:')) return '(wasm)';
  if (url === '') return '(native)';
  const path = workspacePath(url, workspaceRoot);
  if (path === null) return '(other)';
  const segments = path.split('/');
  const modules = segments.lastIndexOf('node_modules');
  if (modules !== -1) {
    const name = segments[modules + 1] ?? '';
    return `node_modules/${name.startsWith('@') ? `${name}/${segments[modules + 2] ?? ''}` : name}`;
  }
  return segments.length > 2 ? segments.slice(0, 2).join('/') : path;
}

/** The script's path relative to the workspace with `/` separators, or null when it is outside it. */
function workspacePath(url: string, workspaceRoot: string): string | null {
  let file: string;
  try {
    file = url.startsWith('file:') ? fileURLToPath(url) : url;
  } catch {
    return null;
  }
  const path = relative(workspaceRoot, file);
  if (path.startsWith('..') || path === file) return null;
  return path.split(sep).join('/');
}

/**
 * A span of V8's clock, in µs: the profile's timestamps are CLOCK_MONOTONIC on Linux, the clock of
 * `process.hrtime` in every process of the machine, so another process can say when its measurement ran.
 */
export interface ProfileWindow {
  readonly fromUs: number;
  readonly toUs: number;
}

/**
 * Self time by profile node, in µs: each sample lasts until the next one, as Chrome DevTools counts it (the
 * last sample until the profile's endTime). With `windows`, only samples taken inside one of them count.
 */
export function selfTimeByNode(profile: CpuProfile, windows?: readonly ProfileWindow[]): Map<number, number> {
  const byNode = new Map<number, number>();
  let at = profile.startTime;
  const stamps = profile.timeDeltas.map((delta) => (at += delta));
  for (let i = 0; i < profile.samples.length; i++) {
    if (windows && !windows.some((w) => stamps[i] >= w.fromUs && stamps[i] < w.toUs)) continue;
    const duration = (i + 1 < stamps.length ? stamps[i + 1] : profile.endTime) - stamps[i];
    if (duration > 0) byNode.set(profile.samples[i], (byNode.get(profile.samples[i]) ?? 0) + duration);
  }
  return byNode;
}

/**
 * Self time of one or more profiles (the processes of one service: its cluster workers each write one),
 * summed by function (name and source position, over every call path) and by category; percentages are of
 * the non-idle time.
 */
export function summariseProfiles(
  profiles: readonly CpuProfile[],
  options: { readonly workspaceRoot: string; readonly top: number; readonly windows?: readonly ProfileWindow[] },
): ProfileSummary {
  const functions = new Map<string, { name: string; location: string; category: string; us: number }>();
  const categories = new Map<string, number>();
  let totalUs = 0;
  for (const profile of profiles) {
    const nodes = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
    for (const [id, us] of selfTimeByNode(profile, options.windows)) {
      const frame = nodes.get(id);
      if (!frame) continue;
      totalUs += us;
      const category = categoryOf(frame.functionName, frame.url, options.workspaceRoot);
      categories.set(category, (categories.get(category) ?? 0) + us);
      const location = frame.url === '' ? '' : `${workspacePath(frame.url, options.workspaceRoot) ?? frame.url}:${frame.lineNumber + 1}`;
      const name = frame.functionName || '(anonymous)';
      const key = `${name}\0${location}:${frame.columnNumber}`;
      const entry = functions.get(key) ?? { name, location, category, us: 0 };
      entry.us += us;
      functions.set(key, entry);
    }
  }
  const idleUs = categories.get(IDLE) ?? 0;
  const nonIdleUs = totalUs - idleUs;
  const ms = (us: number) => Math.round(us / 100) / 10;
  const percent = (us: number, category: string) => (category === IDLE || nonIdleUs <= 0 ? null : Math.round((us / nonIdleUs) * 1000) / 10);
  return {
    profiles: profiles.length,
    totalMs: ms(totalUs),
    nonIdleMs: ms(nonIdleUs),
    functions: [...functions.values()]
      .filter((f) => f.category !== IDLE)
      .sort((a, b) => b.us - a.us)
      .slice(0, options.top)
      .map((f) => ({ name: f.name, location: f.location, category: f.category, selfMs: ms(f.us), percent: percent(f.us, f.category) })),
    categories: [...categories]
      .sort(([a, x], [b, y]) => (a === IDLE ? 1 : b === IDLE ? -1 : y - x))
      .map(([category, us]) => ({ category, selfMs: ms(us), percent: percent(us, category) })),
  };
}

/** Categories under this share of the busy time are printed as one line (the report has them all). */
const MIN_PRINTED_PERCENT = 0.5;

/** The summary as printed: categories (those of at least 0.5 %, and idle), then the top functions. */
export function formatProfileSummary(title: string, summary: ProfileSummary): string {
  const pct = (p: number | null) => (p === null ? '   -  ' : `${p.toFixed(1).padStart(5)} %`);
  const shown = summary.categories.filter((c) => c.percent === null || c.percent >= MIN_PRINTED_PERCENT);
  const rest = summary.categories.filter((c) => !shown.includes(c));
  const restMs = Math.round(rest.reduce((n, c) => n + c.selfMs, 0) * 10) / 10;
  const restPercent = Math.round(rest.reduce((n, c) => n + (c.percent ?? 0), 0) * 10) / 10;
  const line = (percent: number | null, ms: number, what: string) => `    ${pct(percent)}  ${String(ms).padStart(9)} ms  ${what}`;
  const lines = [
    `${title}: ${summary.profiles} profile(s), ${summary.nonIdleMs} ms busy of ${summary.totalMs} ms sampled (percentages of the busy time)`,
    '  self time by category:',
    ...shown.filter((c) => c.percent !== null).map((c) => line(c.percent, c.selfMs, c.category)),
    ...(rest.length ? [line(restPercent, restMs, `${rest.length} more categories under ${MIN_PRINTED_PERCENT} % each`)] : []),
    ...shown.filter((c) => c.percent === null).map((c) => line(null, c.selfMs, c.category)),
    `  top ${summary.functions.length} functions by self time:`,
    ...summary.functions.map((f) => `    ${pct(f.percent)}  ${String(f.selfMs).padStart(9)} ms  ${f.name}${f.location ? `  ${f.location}` : ''}`),
  ];
  return lines.join('\n');
}
