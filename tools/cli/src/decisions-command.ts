import { InvalidArgumentError, type Command } from 'commander';
import type { JobsApi } from './api-client';

interface ValueView {
  readonly value: unknown;
  readonly status: string;
  readonly event_time: string | null;
  readonly origin?: string;
}

/** A decision as `GET /v1/decisions/{id}` answers it (the fields shown). */
export interface DecisionView {
  readonly decision_id: string;
  readonly served_at: string;
  readonly edge: string;
  readonly principal: { readonly id: string; readonly kind: string } | null;
  readonly feature_service: string | null;
  readonly request_context: Record<string, unknown>;
  readonly features: ReadonlyArray<{ readonly name: string; readonly description: string | null; readonly definition_changed: boolean }>;
  readonly results: ReadonlyArray<{ readonly entity_row: Record<string, string>; readonly values: readonly ValueView[] }>;
  readonly outcome: { readonly decision: string; readonly reason_codes: readonly string[]; readonly repayment: string | null } | null;
  readonly record: { readonly instance_id: string; readonly sequence: number; readonly hash: string; readonly intact: boolean };
  readonly repeats: readonly unknown[];
}

interface FeatureReplayView {
  readonly feature: string;
  readonly verdict: 'equal' | 'differs' | 'not_replayable';
  readonly served: ValueView;
  readonly replayed?: ValueView;
  readonly reason?: string;
}

interface ReplayView {
  readonly decision_id: string;
  readonly verdict: string;
  readonly counts: { readonly equal: number; readonly differs: number; readonly not_replayable: number };
  readonly changed_definitions: readonly string[];
  readonly results: ReadonlyArray<{ readonly entity_row: Record<string, string>; readonly features: readonly FeatureReplayView[] }>;
}

interface VerifyView {
  readonly records: number;
  readonly complete: boolean;
  readonly untouched: boolean;
  readonly missing: number;
  readonly dropped: number;
  readonly unpublished: number;
  readonly edited: number;
  readonly broken_links: number;
  readonly gaps: ReadonlyArray<{ readonly instance_id: string; readonly from: number; readonly to: number; readonly kind: string }>;
  readonly problems: ReadonlyArray<{ readonly decision_id: string; readonly instance_id: string; readonly sequence: number; readonly problem: string; readonly detail: string }>;
  readonly instances: ReadonlyArray<{ readonly instance_id: string; readonly records: number; readonly closed: boolean }>;
  readonly notes: readonly string[];
}

interface ReplayRunView {
  readonly id: string;
  readonly state: 'running' | 'succeeded' | 'failed';
  readonly decisions_done: number;
  readonly error: string | null;
  readonly report: {
    readonly decisions: number;
    readonly verdicts: Record<string, number>;
    readonly features: ReadonlyArray<{ readonly feature: string; readonly equal: number; readonly differs: number; readonly not_replayable: number; readonly skew_rate: number | null }>;
    readonly decisions_per_second: number;
  } | null;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const day = (v: string) => {
  if (!DAY.test(v)) throw new InvalidArgumentError('must be a day as YYYY-MM-DD (UTC)');
  return v;
};
/** Reading a day can take minutes. */
const LONG_MS = 600_000;

export function formatValue(value: unknown): string {
  if (value !== null && typeof value === 'object' && 'amount_minor' in value) {
    const m = value as { amount_minor: string; currency: string };
    return `${m.amount_minor} ${m.currency} (minor units)`;
  }
  return JSON.stringify(value);
}

/** A decision for a person: what was served, feature by feature, with what each feature means. */
export function formatDecision(d: DecisionView): string {
  const lines = [
    `decision ${d.decision_id}`,
    `  served at ${d.served_at} over ${d.edge} to ${d.principal ? `${d.principal.id} (${d.principal.kind})` : '(access control off)'}`,
    `  feature service ${d.feature_service ?? '(a list of features)'}; request ${JSON.stringify(d.request_context)}`,
    `  record ${d.record.instance_id} #${d.record.sequence}, sha256 ${d.record.hash.slice(0, 16)}…, ${d.record.intact ? 'intact' : 'NOT INTACT: its body does not match its hash'}`,
  ];
  if (d.repeats.length > 0) lines.push(`  this id was used for ${d.repeats.length} other answer(s) too`);
  for (const row of d.results) {
    lines.push(`  ${Object.entries(row.entity_row).map(([k, v]) => `${k}=${v}`).join(' ')}`);
    row.values.forEach((v, i) => {
      const f = d.features[i];
      lines.push(`    ${f.name.padEnd(48)} ${formatValue(v.value).padEnd(28)} ${v.status.padEnd(8)} ${(v.event_time ?? '-').padEnd(25)} ${v.origin ?? ''}`);
      if (f.description) lines.push(`      ${f.description}${f.definition_changed ? ' (its definition changed since)' : ''}`);
    });
  }
  lines.push(d.outcome ? `  outcome: ${d.outcome.decision}${d.outcome.reason_codes.length ? ` (${d.outcome.reason_codes.join(', ')})` : ''}${d.outcome.repayment ? `, repayment ${d.outcome.repayment}` : ''}` : '  outcome: none posted');
  return `${lines.join('\n')}\n`;
}

export function formatReplay(r: ReplayView): string {
  const lines = [`decision ${r.decision_id}: ${r.verdict} (${r.counts.equal} equal, ${r.counts.differs} differ, ${r.counts.not_replayable} not replayable)`];
  if (r.changed_definitions.length) lines.push(`  definitions changed since: ${r.changed_definitions.join(', ')}`);
  for (const row of r.results) {
    for (const f of row.features) {
      if (f.verdict === 'differs') lines.push(`  ${f.feature}: served ${formatValue(f.served.value)} ${f.served.status}, history ${formatValue(f.replayed?.value)} ${f.replayed?.status}`);
      if (f.verdict === 'not_replayable') lines.push(`  ${f.feature}: not replayable: ${f.reason}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export function formatVerify(v: VerifyView, day: string): string {
  const lines = [
    `${day}: ${v.records} records from ${v.instances.length} instance(s): ${v.complete ? 'complete' : 'INCOMPLETE'}, ${v.untouched ? 'untouched' : 'TOUCHED'}`,
    `  missing ${v.missing}, dropped ${v.dropped}, unpublished ${v.unpublished}, edited ${v.edited}, broken links ${v.broken_links}`,
  ];
  for (const g of v.gaps) lines.push(`  gap ${g.instance_id} #${g.from}${g.to > g.from ? `-${g.to}` : ''}: ${g.kind}`);
  for (const p of v.problems) lines.push(`  ${p.problem} ${p.decision_id} (${p.instance_id} #${p.sequence}): ${p.detail}`);
  for (const n of v.notes) lines.push(`  note: ${n}`);
  return `${lines.join('\n')}\n`;
}

/**
 * `fs decisions show|replay|verify|outcome|training-set`: the decisions API (`/v1/decisions`, scope
 * `audit:read`; outcomes `features:read`; training sets `jobs:write`). Exit codes: verify 1 when the day is
 * not complete and untouched, replay 1 when a value differs; 2 when the API refuses the request.
 */
export function registerDecisionsCommand(program: Command, out: NodeJS.WritableStream, api: () => JobsApi, setExitCode: (code: number) => void): void {
  const decisions = program.command('decisions').description('what was served for each decision: show, replay, verify, outcomes, training sets');
  const json = (value: unknown) => out.write(`${JSON.stringify(value, null, 2)}\n`);

  decisions
    .command('show <id>')
    .description('exactly what was served for a decision, with what each feature means')
    .option('--json', 'print the API answer as it is')
    .action(async (id: string, options: { json?: boolean }) => {
      const view = await api().send<DecisionView>('GET', `/v1/decisions/${encodeURIComponent(id)}`);
      if (options.json) json(view);
      else out.write(formatDecision(view));
    });

  decisions
    .command('replay [id]')
    .description('recompute a decision (or, with --day, every decision of a day) from the offline history')
    .option('--day <day>', 'replay every decision served that UTC day and report skew rates per feature', day)
    .option('--json', 'print the API answer as it is')
    .action(async (id: string | undefined, options: { day?: string; json?: boolean }) => {
      if ((id === undefined) === (options.day === undefined)) throw new InvalidArgumentError('give a decision id or --day, not both');
      if (id !== undefined) {
        const replay = await api().send<ReplayView>('POST', `/v1/decisions/${encodeURIComponent(id)}/replay`, undefined, { timeoutMs: 120_000 });
        if (options.json) json(replay);
        else out.write(formatReplay(replay));
        setExitCode(replay.verdict === 'differs' ? 1 : 0);
        return;
      }
      let { run } = await api().send<{ run: ReplayRunView }>('POST', `/v1/decision-days/${options.day}/replays`);
      while (run.state === 'running') {
        await new Promise((r) => setTimeout(r, 1_000));
        ({ run } = await api().send<{ run: ReplayRunView }>('GET', `/v1/decision-replays/${encodeURIComponent(run.id)}`));
      }
      if (options.json) return void json(run);
      if (run.state === 'failed' || !run.report) {
        out.write(`replay of ${options.day} failed: ${run.error}\n`);
        return setExitCode(1);
      }
      out.write(`${options.day}: ${run.report.decisions} decisions replayed (${Math.round(run.report.decisions_per_second)}/s): ${JSON.stringify(run.report.verdicts)}\n`);
      for (const f of run.report.features) out.write(`  ${f.feature.padEnd(48)} skew ${f.skew_rate === null ? '   -  ' : `${(f.skew_rate * 100).toFixed(2).padStart(5)}%`}  (${f.equal} equal, ${f.differs} differ, ${f.not_replayable} not replayable)\n`);
      setExitCode(run.report.features.some((f) => f.differs > 0) ? 1 : 0);
    });

  decisions
    .command('verify')
    .description("prove a day's records complete (no number missing) and untouched (every hash holds)")
    .requiredOption('--day <day>', 'the UTC day, YYYY-MM-DD', day)
    .option('--json', 'print the API answer as it is')
    .action(async (options: { day: string; json?: boolean }) => {
      const report = await api().send<VerifyView>('GET', `/v1/decision-days/${options.day}/verification`, undefined, { timeoutMs: LONG_MS });
      if (options.json) json(report);
      else out.write(formatVerify(report, options.day));
      setExitCode(report.complete && report.untouched ? 0 : 1);
    });

  decisions
    .command('outcome <id>')
    .description("post the risk engine's outcome of a decision (and later its repayment label)")
    .requiredOption('--decision <decision>', 'approved or declined')
    .option('--reason <code...>', 'reason codes (UPPER_SNAKE)')
    .option('--repayment <label>', 'repaid, late or defaulted')
    .action(async (id: string, options: { decision: string; reason?: string[]; repayment?: string }) => {
      json(await api().send('POST', `/v1/decisions/${encodeURIComponent(id)}/outcome`, { decision: options.decision, reason_codes: options.reason ?? [], ...(options.repayment ? { repayment: options.repayment } : {}) }));
    });

  decisions
    .command('training-set')
    .description("served vectors joined with their outcomes, as CSV written under the batch-processor's job files root")
    .requiredOption('--from <day>', 'first UTC day', day)
    .requiredOption('--to <day>', 'last UTC day (included)', day)
    .requiredOption('--service <name>', 'the feature service the vectors were served with')
    .requiredOption('--output <file>', 'a .csv path relative to the job files root (JOB_FILES_ROOT)')
    .option('--overwrite', 'replace the file if it exists (default: refused)')
    .option('--labelled-only', 'only decisions whose repayment is labelled')
    .action(async (options: { from: string; to: string; service: string; output: string; labelledOnly?: boolean; overwrite?: boolean }) => {
      const body = { from: options.from, to: options.to, feature_service: options.service, output_file: options.output, labelled_only: options.labelledOnly === true, ...(options.overwrite ? { overwrite: true } : {}) };
      const r = await api().send<{ rows: number; output_file: string }>('POST', '/v1/decision-training-sets', body, { timeoutMs: LONG_MS });
      out.write(`${r.rows} rows written to ${r.output_file}\n`);
    });
}
