import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Names of the metrics the services export, as PromQL would name them: the feature store's own (`bnpl_`)
 * and the Node runtime's (`nodejs_`, `v8js_`). A name glued to `:` is a recording rule's, not a metric.
 */
const EXPORTED_NAME = /(?<![\w:])(?:bnpl|nodejs|v8js)_[A-Za-z0-9_]+(?![\w:])/g;
/** Recording rule names (`level:metric:operations`, the convention): they hold a colon. */
const RECORDED_NAME = /(?<![\w:"])[a-z_]+:[A-Za-z0-9_:]+(?![\w:])/g;

/** Label matchers (`{...}`) and grouping clauses (`by (...)`, `on (...)`, ...): label names, not metrics. */
const LABEL_POSITIONS = /\{[^}]*\}|\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g;

/** Every exported-metric name in PromQL text (rules, dashboard queries). */
export function metricNamesIn(promql: string): Set<string> {
  return new Set(promql.replace(LABEL_POSITIONS, ' ').match(EXPORTED_NAME) ?? []);
}

/** Every recording rule name referenced in PromQL text. */
export function recordedNamesIn(promql: string): Set<string> {
  return new Set(promql.match(RECORDED_NAME) ?? []);
}

/** Sample names on a /metrics page (`bnpl_x_total`, `bnpl_y_bucket`, ...), comments skipped. */
export function sampleNames(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const line of exposition.split('\n')) {
    const name = /^([A-Za-z_:][A-Za-z0-9_:]*)[{ ]/.exec(line)?.[1];
    if (name) names.add(name);
  }
  return names;
}

export interface RuleFiles {
  /** The PromQL expressions of every rule (and the raw text, for annotations). */
  readonly expressions: string;
  /** Names defined by `record:`. */
  readonly recorded: Set<string>;
}

/** The `expr:` blocks and `record:` names of every `*.yml` in `dir` (the rule files' plain YAML shape). */
export function readRuleFiles(dir: string): RuleFiles {
  const recorded = new Set<string>();
  const expressions: string[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.yml'))) {
    const lines = readFileSync(join(dir, file), 'utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      const record = /^\s*-?\s*record:\s*(\S+)/.exec(lines[i]);
      if (record) recorded.add(record[1]);
      const expr = /^(\s*)expr:\s*(.*)$/.exec(lines[i]);
      if (!expr) continue;
      if (expr[2] !== '|' && expr[2] !== '>') {
        expressions.push(expr[2]);
        continue;
      }
      // A block scalar: every following line indented deeper than `expr:`.
      const indent = expr[1].length;
      for (i++; i < lines.length && (lines[i].trim() === '' || lines[i].length - lines[i].trimStart().length > indent); i++) expressions.push(lines[i]);
      i--;
    }
  }
  return { expressions: expressions.join('\n'), recorded };
}

/** Every query of every dashboard JSON in `dir`: panel targets and template variable queries. */
export function readDashboardQueries(dir: string): string {
  const queries: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if ((key === 'expr' || key === 'definition') && typeof value === 'string') queries.push(value);
      else walk(value);
    }
  };
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) walk(JSON.parse(readFileSync(join(dir, file), 'utf8')));
  return queries.join('\n');
}
