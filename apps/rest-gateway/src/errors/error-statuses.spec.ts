import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ApiKeyNotFoundError, IdentityProviderUnavailableError, InvalidApiKeySpecError, PermissionDeniedError, RateLimitedError, UnauthenticatedError } from '@bnpl/access-control';
import {
  DecisionBacklogFullError,
  DecisionNotFoundError,
  DecisionStoreUnavailableError,
  InvalidDecisionIdError,
  InvalidDecisionQueryError,
  InvalidOutcomeError,
  OutcomeConflictError,
  OutcomeNotPermittedError,
  ReplayRunNotFoundError,
} from '@bnpl/decision-records';
import { IdempotencyKeyConflictError, InvalidJobRequestError, JobFileRefusedError, JobNotFoundError, JobQuotaExceededError } from '@bnpl/batch';
import {
  CatalogError,
  CatalogValidationError,
  EDGE_STATUS,
  FeatureComputationError,
  InvalidAsOfError,
  InvalidEntityIdError,
  InvalidFeatureRefError,
  InvalidRequestInputError,
  UnknownFeatureError,
  UnknownFeatureServiceError,
  UnknownFeatureViewError,
  edgeStatusOf,
  type FeatureStoreError,
} from '@bnpl/feature-definitions';
import { InvalidMessagePayloadError, MessagingUnavailableError } from '@bnpl/messaging';
import { InvalidEntityTableError, InvalidHistoricalRequestError, InvalidOfflineRowError, OfflineStoreUnavailableError } from '@bnpl/offline-store';
import { CorruptStoredValueError, InvalidOnlineRowError, OnlineStoreUnavailableError } from '@bnpl/online-store';
import { InvalidParityOptionsError } from '@bnpl/parity';
import { DatabaseUnavailableError } from '@bnpl/postgres';
import { InvalidScheduleError } from '@bnpl/scheduling';
import { FeaturesUnavailableError, InvalidFeatureRequestError } from '@bnpl/serving';
import { InvalidRequestBodyError } from './invalid-request-body.error';
import { ProblemJsonFilter } from './problem-json.filter';

/**
 * Every FeatureStoreError of the repository with the HTTP and gRPC status it is answered with. A new
 * error class must be added here (the last test finds the classes in the sources), so that its status is a
 * decision someone made and reviewed, not a default.
 */
const TABLE: ReadonlyArray<readonly [string, FeatureStoreError, number, number]> = [
  ['InvalidEntityIdError', new InvalidEntityIdError('x'), 400, 3],
  ['InvalidAsOfError', new InvalidAsOfError('x'), 400, 3],
  ['InvalidRequestInputError', new InvalidRequestInputError('requested_amount', 'bad'), 400, 3],
  ['CatalogError', new CatalogError('UNKNOWN_ENTITY', 'Unknown entity "x"', 'x'), 400, 3],
  ['UnknownFeatureError', new UnknownFeatureError('v:f'), 400, 3],
  ['UnknownFeatureViewError', new UnknownFeatureViewError('v'), 400, 3],
  ['UnknownFeatureServiceError', new UnknownFeatureServiceError('s'), 400, 3],
  ['InvalidFeatureRefError', new InvalidFeatureRefError('x'), 400, 3],
  ['CatalogValidationError', new CatalogValidationError([{ subject: 'view v', reason: 'DUPLICATE_ENTITY', message: 'twice' }]), 500, 13],
  ['FeatureComputationError', new FeatureComputationError('VALUE_OUT_OF_RANGE', 'overflow'), 500, 13],
  ['InvalidFeatureRequestError', new InvalidFeatureRequestError('TOO_MANY_ENTITY_ROWS', 'too many'), 400, 3],
  ['FeaturesUnavailableError', new FeaturesUnavailableError('down'), 503, 14],
  ['OnlineStoreUnavailableError', new OnlineStoreUnavailableError('redis', 'down'), 503, 14],
  ['InvalidOnlineRowError', new InvalidOnlineRowError('v', 'bad'), 500, 13],
  ['CorruptStoredValueError', new CorruptStoredValueError('v', 'bad'), 500, 13],
  ['InvalidEntityTableError', new InvalidEntityTableError('bad file'), 400, 3],
  ['InvalidHistoricalRequestError', new InvalidHistoricalRequestError('bad'), 400, 3],
  ['InvalidOfflineRowError', new InvalidOfflineRowError('v', 0, 'bad'), 500, 13],
  ['OfflineStoreUnavailableError', new OfflineStoreUnavailableError('duckdb', 'down'), 503, 14],
  ['MessagingUnavailableError', new MessagingUnavailableError('down'), 503, 14],
  ['InvalidMessagePayloadError', new InvalidMessagePayloadError('t', 'bad'), 400, 3],
  ['DatabaseUnavailableError', new DatabaseUnavailableError('source', 'down'), 503, 14],
  ['InvalidJobRequestError', new InvalidJobRequestError('bad'), 400, 3],
  ['JobNotFoundError', new JobNotFoundError('j'), 404, 5],
  ['IdempotencyKeyConflictError', new IdempotencyKeyConflictError('k', 'j'), 409, 6],
  ['JobFileRefusedError', new JobFileRefusedError('"output_file" already exists'), 400, 3],
  ['JobQuotaExceededError', new JobQuotaExceededError(4, 30), 429, 8],
  ['InvalidParityOptionsError', new InvalidParityOptionsError('--from', 'bad'), 400, 3],
  ['InvalidScheduleError', new InvalidScheduleError('bad cron'), 400, 3],
  ['InvalidRequestBodyError', new InvalidRequestBodyError('INVALID_REQUEST_BODY', 'bad'), 400, 3],
  ['UnauthenticatedError', new UnauthenticatedError('INVALID_API_KEY', 'Invalid API key'), 401, 16],
  ['PermissionDeniedError', new PermissionDeniedError('MISSING_SCOPE', 'needs admin'), 403, 7],
  ['RateLimitedError', new RateLimitedError(10, 200), 429, 8],
  ['ApiKeyNotFoundError', new ApiKeyNotFoundError('aaaaaaaaaaaa'), 404, 5],
  ['InvalidApiKeySpecError', new InvalidApiKeySpecError('bad'), 400, 3],
  ['IdentityProviderUnavailableError', new IdentityProviderUnavailableError('timeout'), 503, 14],
  ['InvalidDecisionIdError', new InvalidDecisionIdError('a b', 'bad'), 400, 3],
  ['DecisionNotFoundError', new DecisionNotFoundError('d'), 404, 5],
  ['InvalidOutcomeError', new InvalidOutcomeError('bad'), 400, 3],
  ['OutcomeConflictError', new OutcomeConflictError('d', 'was approved'), 409, 6],
  ['OutcomeNotPermittedError', new OutcomeNotPermittedError('d'), 403, 7],
  ['DecisionBacklogFullError', new DecisionBacklogFullError('full'), 503, 14],
  ['DecisionStoreUnavailableError', new DecisionStoreUnavailableError('down'), 503, 14],
  ['InvalidDecisionQueryError', new InvalidDecisionQueryError('bad day'), 400, 3],
  ['ReplayRunNotFoundError', new ReplayRunNotFoundError('r'), 404, 5],
];

describe('every FeatureStoreError and its edge statuses', () => {
  it.each(TABLE.map(([name, error, http, grpc]) => [name, http, grpc, error] as const))('%s -> HTTP %i, gRPC %i', (name, http, grpc, error) => {
    expect(error.constructor.name).toBe(name);
    const status = edgeStatusOf(error);
    expect({ http: status.http, grpc: status.grpc }).toEqual({ http, grpc });
    // REST answers exactly that status, and an internal error without its message.
    const problem = new ProblemJsonFilter().toProblem(error, { url: '/v1/x', headers: {} });
    expect(problem.status).toBe(http);
    expect(problem.reason).toBe(error.reason);
    if (http === 500) expect(problem.detail).toBe('internal error');
  });

  it('answers anything else as a bare 500, whatever it says', () => {
    const problem = new ProblemJsonFilter().toProblem(new Error('connect ECONNREFUSED 10.1.2.3:5432 password=hunter2'), { url: '/v1/x', headers: {} });
    expect(problem).toMatchObject({ status: 500, reason: 'INTERNAL', detail: 'internal error' });
    expect(EDGE_STATUS.INTERNAL).toMatchObject({ http: 500, grpc: 13 });
  });

  it('lists every error class declared in the sources', () => {
    const root = join(__dirname, '../../../..');
    const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', 'libs', 'apps'], { cwd: root, encoding: 'utf8' })
      .split('\n')
      .filter((f) => f.endsWith('.ts') && !/\.(spec|int-spec|e2e-spec)\.ts$/.test(f));
    const declared = new Set<string>();
    for (const file of files) {
      for (const m of readFileSync(join(root, file), 'utf8').matchAll(/class (\w+) extends (?:FeatureStoreError|CatalogError)\b/g)) declared.add(m[1]);
    }
    expect([...declared].sort()).toEqual(TABLE.map(([name]) => name).sort());
  });
});
