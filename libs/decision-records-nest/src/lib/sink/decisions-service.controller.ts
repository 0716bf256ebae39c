import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, UseFilters } from '@nestjs/common';
import {
  InvalidDecisionQueryError,
  RecordOutcome,
  ReplayDecision,
  ReplayRunNotFoundError,
  ShowDecision,
  VerifyDay,
  servedTrainingSet,
  utcDayRange,
  type DecisionOutcome,
  type DecisionStore,
  type OutcomeChange,
} from '@bnpl/decision-records';
import type { JobFiles } from '@bnpl/batch';
import { DecisionProblemFilter } from './decision-problem.filter';
import { dayReplayJson, decisionJson, outcomeJson, replayJson, verifyJson } from './decision-json.mapper';
import type { ReplayRun, ReplayRuns } from './replay-runs';
import { writeCsv } from './training-set-file';

/** Use cases of the decisions service (provided by DecisionSinkModule). */
export const DECISIONS_SERVICE = Symbol('DECISIONS_SERVICE');

export interface DecisionsService {
  readonly store: DecisionStore;
  readonly show: ShowDecision;
  readonly outcomes: RecordOutcome;
  readonly replay: ReplayDecision;
  readonly verify: VerifyDay;
  readonly replayRuns: ReplayRuns;
  /** Counts accepted outcomes (metrics). */
  onOutcome(change: OutcomeChange, outcome: DecisionOutcome): void;
  /** Where training sets may be written (the job files root); without it, paths are taken as given (tests). */
  readonly files?: JobFiles;
}

/**
 * Who rest-gateway authenticated, forwarded as trusted headers: the decisions service is internal (its
 * port is reachable by rest-gateway only) and rest-gateway sets these itself, never passing a client's on.
 */
export const PRINCIPAL_ID_HEADER = 'x-bnpl-principal-id';
export const PRINCIPAL_ADMIN_HEADER = 'x-bnpl-principal-admin';

function runJson(run: ReplayRun) {
  return {
    id: run.id,
    day: run.day,
    state: run.state,
    decisions_done: run.decisionsDone,
    error: run.error,
    started_at: run.startedAt.toISOString(),
    finished_at: run.finishedAt?.toISOString() ?? null,
    report: run.report ? dayReplayJson(run.report) : null,
  };
}

/**
 * The decisions service, run by the batch-processor that owns the offline store: what rest-gateway's
 * decisions API forwards to (internal: access control is rest-gateway's). JSON in and out, errors as
 * problem+json.
 */
@Controller('v1')
@UseFilters(new DecisionProblemFilter())
export class DecisionsServiceController {
  constructor(@Inject(DECISIONS_SERVICE) private readonly service: DecisionsService) {}

  @Get('decisions/:id')
  async show(@Param('id') id: string) {
    return decisionJson(await this.service.show.execute(id));
  }

  @Post('decisions/:id/outcome')
  @HttpCode(200)
  async outcome(@Param('id') id: string, @Body() body: unknown, @Headers(PRINCIPAL_ID_HEADER) principal?: string, @Headers(PRINCIPAL_ADMIN_HEADER) admin?: string) {
    const fields = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
    const poster = principal ? { id: principal, admin: admin === 'true' } : null;
    const { outcome, change } = await this.service.outcomes.execute(id, { decision: fields['decision'], reasonCodes: fields['reason_codes'], repayment: fields['repayment'] }, poster);
    this.service.onOutcome(change, outcome);
    return { decision_id: id, change, outcome: outcomeJson(outcome) };
  }

  @Post('decisions/:id/replay')
  @HttpCode(200)
  async replay(@Param('id') id: string) {
    return replayJson(await this.service.replay.execute(id));
  }

  @Get('decision-days/:day/verification')
  async verify(@Param('day') day: string) {
    return verifyJson(await this.service.verify.execute(day));
  }

  @Post('decision-days/:day/replays')
  @HttpCode(202)
  startReplay(@Param('day') day: string) {
    return { run: runJson(this.service.replayRuns.start(day)) };
  }

  @Get('decision-replays/:id')
  replayRun(@Param('id') id: string) {
    const run = this.service.replayRuns.get(id);
    if (!run) throw new ReplayRunNotFoundError(id);
    return { run: runJson(run) };
  }

  /**
   * A training set of served vectors joined with their outcomes, written as CSV under the job files root
   * where this service runs: `output_file` is relative to it (no `..`, no link leading out), and an existing
   * file is replaced only with `overwrite: true`. The answer names the file as the caller gave it.
   */
  @Post('decision-training-sets')
  @HttpCode(200)
  async trainingSet(@Body() body: unknown) {
    const fields = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
    const from = typeof fields['from'] === 'string' ? utcDayRange(fields['from'])?.from : undefined;
    const to = typeof fields['to'] === 'string' ? utcDayRange(fields['to'])?.to : undefined;
    if (!from || !to) throw new InvalidDecisionQueryError('"from" and "to" must be days as YYYY-MM-DD (both included)');
    const service = fields['feature_service'];
    const output = fields['output_file'];
    if (typeof service !== 'string' || service === '') throw new InvalidDecisionQueryError('"feature_service" is required: the served vectors of one feature service');
    if (typeof output !== 'string' || !output.endsWith('.csv')) throw new InvalidDecisionQueryError('"output_file" must be a .csv path relative to the job files root');
    if (fields['overwrite'] !== undefined && typeof fields['overwrite'] !== 'boolean') throw new InvalidDecisionQueryError('"overwrite" must be true or false');
    if (to.getTime() - from.getTime() > 400 * 86_400_000) throw new InvalidDecisionQueryError('at most 400 days per training set');
    if (/^gs:\/\//i.test(output)) throw new InvalidDecisionQueryError('"output_file" must be a local .csv path relative to the job files root (decision training sets are not exported to gs://)');
    const path = this.service.files ? await this.service.files.output('output_file', output, fields['overwrite'] === true) : output;
    const rows = await writeCsv(path, servedTrainingSet(this.service.store, { from, to, featureService: service, labelledOnly: fields['labelled_only'] === true }));
    return { output_file: output, rows };
  }
}
