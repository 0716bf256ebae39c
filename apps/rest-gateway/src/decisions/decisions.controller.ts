import { Body, Controller, Get, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { principalOf } from '@bnpl/access-control-nest';
import { checkDecisionId } from '@bnpl/decision-records';
import { DecisionsClient, type ForwardedAnswer, type ForwardedPrincipal } from '@bnpl/decision-records-nest';
import { Requires } from '../auth/requires.decorator';
import { ApiJsonBody, ApiJsonOk, ApiProblems } from '../openapi/api-docs';
import { MAX_DECISION_ID_LENGTH_TEXT } from './decision-id-docs';

/** Verification and training sets read a whole day or more: the decisions service gets longer. */
const LONG_MS = 600_000;

const ID_PARAM = { name: 'decisionId', description: `The decision id an answer carried in x-decision-id (${MAX_DECISION_ID_LENGTH_TEXT}).`, example: '0193a8f2-6c1e-7abc-8def-0123456789ab' };
const DAY_PARAM = { name: 'day', description: 'A UTC day, YYYY-MM-DD.', example: '2026-12-01' };

function forwardedPrincipal(request: FastifyRequest): ForwardedPrincipal | null {
  const principal = principalOf(request);
  return principal ? { id: principal.id, admin: principal.scopes.has('admin') } : null;
}

/**
 * The decisions API: what was served, its outcome, its replay, and a day's proof of completeness. Access
 * control is here; the work is done by the decisions service (the batch-processor that owns the offline
 * store), whose answers, problem+json errors included, are passed on unchanged.
 */
@ApiTags('decisions')
@Controller('v1')
export class DecisionsController {
  constructor(@Inject(DecisionsClient) private readonly client: DecisionsClient) {}

  @Get('decisions/:decisionId')
  @Requires('audit:read')
  @ApiOperation({ summary: 'A served decision', description: 'Exactly what was served for the decision: who asked, when, the feature service, the definitions\' fingerprints, the entity keys and request inputs, and for every value its value, status, event time and origin (L1, online store, source, request), with each feature\'s description from the catalog; its outcome when posted. A decision id used for several answers lists the others under `repeats`.' })
  @ApiParam(ID_PARAM)
  @ApiJsonOk('Decision', 'The decision as recorded.')
  @ApiProblems(400, 404, 503)
  async show(@Param('decisionId') id: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    return this.pass(reply, await this.client.forward('GET', `/v1/decisions/${encodeURIComponent(checkDecisionId(id))}`));
  }

  @Post('decisions/:decisionId/outcome')
  @HttpCode(200)
  @Requires('features:read')
  @ApiOperation({
    summary: 'Post the outcome of a decision',
    description:
      'What the risk engine decided with the served vector (`approved` / `declined`, `reason_codes`) and, later, how the plan was repaid (`repayment`: repaid, late, defaulted). Only the principal the decision was served to (or an admin) may post it. The same outcome posted again is accepted (`change: unchanged`); a repayment label may be added once; anything else contradicting the stored outcome is a 409. A decision whose record is still on its way is waited for a few seconds before a 404.',
  })
  @ApiParam(ID_PARAM)
  @ApiJsonBody('DecisionOutcomeRequest', { declined: { value: { decision: 'declined', reason_codes: ['HIGH_UTILIZATION'] } }, labelled: { value: { decision: 'declined', reason_codes: ['HIGH_UTILIZATION'], repayment: 'defaulted' } } })
  @ApiJsonOk('DecisionOutcomeAnswer', 'The outcome as stored, and what this post changed.')
  @ApiProblems(400, 403, 404, 409, 503)
  async outcome(@Param('decisionId') id: string, @Body() body: unknown, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    return this.pass(reply, await this.client.forward('POST', `/v1/decisions/${encodeURIComponent(checkDecisionId(id))}/outcome`, { body: body ?? {}, principal: forwardedPrincipal(request) }));
  }

  @Post('decisions/:decisionId/replay')
  @HttpCode(200)
  @Requires('audit:read')
  @ApiOperation({ summary: 'Replay a decision', description: 'Recomputes the decision\'s vector as of the instant it was served from the offline history (point in time) and reports each feature `equal`, `differs` (both values) or `not_replayable` (the history has no row at or before that instant, or the feature left the catalog). A decision older than the history is `not_replayable`.' })
  @ApiParam(ID_PARAM)
  @ApiJsonOk('DecisionReplay', 'Each feature equal, different (both values) or not replayable (why).')
  @ApiProblems(400, 404, 503)
  async replay(@Param('decisionId') id: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    return this.pass(reply, await this.client.forward('POST', `/v1/decisions/${encodeURIComponent(checkDecisionId(id))}/replay`, { timeoutMs: 120_000 }));
  }

  @Get('decision-days/:day/verification')
  @Requires('audit:read')
  @ApiOperation({ summary: "Verify a day's decision records", description: 'Proves the records served on a UTC day complete (every number each serving instance gave has its record; gaps are reported as missing, dropped or unpublished) and untouched (every body matches its hash and its predecessor\'s hash), naming each record that is not.' })
  @ApiParam(DAY_PARAM)
  @ApiJsonOk('DecisionDayVerification', 'The day complete and untouched, or each gap and edited record.')
  @ApiProblems(400, 503)
  async verify(@Param('day') day: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    return this.pass(reply, await this.client.forward('GET', `/v1/decision-days/${encodeURIComponent(day)}/verification`, { timeoutMs: LONG_MS }));
  }

  @Post('decision-days/:day/replays')
  @HttpCode(202)
  @Requires('audit:read')
  @ApiOperation({ summary: 'Replay a whole day', description: 'Starts replaying every decision served on a UTC day against the offline history; follow it with `GET /v1/decision-replays/{id}`, whose report gives skew rates per feature.' })
  @ApiParam(DAY_PARAM)
  @ApiJsonOk('DecisionReplayRun', 'The run, started (202).')
  @ApiProblems(400, 503)
  async replayDay(@Param('day') day: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    return this.pass(reply, await this.client.forward('POST', `/v1/decision-days/${encodeURIComponent(day)}/replays`));
  }

  @Get('decision-replays/:runId')
  @Requires('audit:read')
  @ApiOperation({ summary: 'A whole-day replay', description: 'Its state, progress and, once done, its report.' })
  @ApiParam({ name: 'runId', description: 'The id `POST /v1/decision-days/{day}/replays` answered.' })
  @ApiJsonOk('DecisionReplayRun', 'The run: state, progress, report once done.')
  @ApiProblems(404, 503)
  async replayRun(@Param('runId') runId: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    return this.pass(reply, await this.client.forward('GET', `/v1/decision-replays/${encodeURIComponent(runId)}`));
  }

  @Post('decision-training-sets')
  @HttpCode(200)
  @Requires('jobs:write')
  @ApiOperation({ summary: 'A training set of served vectors', description: '"Log and wait": the vectors served with one feature service between two UTC days (both included), joined with their posted outcomes and repayment labels, written as CSV to `output_file` where the batch-processor runs. Each value is what the model saw: no point-in-time join, no leakage.' })
  @ApiJsonBody('DecisionTrainingSetRequest', { november: { value: { from: '2026-11-01', to: '2026-11-30', feature_service: 'credit_decision_v1', output_file: 'training/served-2026-11.csv' } } })
  @ApiJsonOk('DecisionTrainingSetAnswer', 'Where the CSV was written, and its rows.')
  @ApiProblems(400, 503)
  async trainingSet(@Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    return this.pass(reply, await this.client.forward('POST', '/v1/decision-training-sets', { body: body ?? {}, timeoutMs: LONG_MS }));
  }

  private pass(reply: FastifyReply, answer: ForwardedAnswer): string {
    void reply.status(answer.status).header('content-type', answer.contentType);
    return answer.body;
  }
}
