import { z } from 'zod';
import { featureValueSchema, strictObject } from '../http/values.schema';

// The decisions API's bodies, as the OpenAPI document shows them and the e2e tests read them: the JSON the
// decisions service writes (decision-json.mapper.ts in @bnpl/decision-records-nest), field by field.

const instant = z.string().describe('RFC 3339, UTC, milliseconds.');
const status = z.enum(['PRESENT', 'DEFAULT', 'STALE', 'MISSING']);
const origin = z.enum(['l1', 'online-store', 'source', 'request']).describe('l1: the instance\'s cache; online-store: Redis; source: PostgreSQL (a miss, or the online store down); request: a request-time feature.');
const outcome = strictObject({
  decision: z.enum(['approved', 'declined']),
  reason_codes: z.array(z.string()),
  repayment: z.enum(['repaid', 'late', 'defaulted']).nullable(),
  posted_by: z.string().nullable().describe('The principal that posted it.'),
  posted_at: instant,
  labelled_at: instant.nullable(),
});

/** `GET /v1/decisions/{id}`. */
export const decisionSchema = strictObject({
  decision_id: z.string(),
  served_at: instant,
  edge: z.enum(['rest', 'feast', 'grpc']),
  principal: strictObject({ id: z.string(), kind: z.enum(['api-key', 'jwt']) }).nullable().describe('Who asked (null with access control off).'),
  feature_service: z.string().nullable(),
  request_context: z.record(z.string(), featureValueSchema).describe('The inputs of request-time features.'),
  stream_watermark: instant.nullable(),
  features: z.array(
    strictObject({
      name: z.string(),
      description: z.string().nullable().describe("The catalog's description today (null: no longer in the catalog)."),
      definition: z.string().nullable().describe("Its view's definition fingerprint when served."),
      definition_changed: z.boolean(),
    }),
  ),
  results: z.array(strictObject({ entity_row: z.record(z.string(), z.string()), values: z.array(strictObject({ value: featureValueSchema, status, event_time: instant.nullable(), origin, streamed: z.boolean() })) })),
  outcome: outcome.nullable(),
  record: strictObject({ instance_id: z.string(), sequence: z.number().int(), previous_sequence: z.number().int(), previous_hash: z.string(), hash: z.string(), intact: z.boolean().describe('The stored body still matches its SHA-256.') }),
  repeats: z.array(strictObject({ instance_id: z.string(), sequence: z.number().int(), served_at: instant })).describe('Other answers given under the same decision id.'),
}).describe('A served decision, exactly as recorded.');

/** The body of `POST /v1/decisions/{id}/outcome`. */
export const decisionOutcomeRequestSchema = strictObject({
  decision: z.enum(['approved', 'declined']),
  reason_codes: z.array(z.string().regex(/^[A-Z][A-Z0-9_]{0,63}$/)).max(20).optional(),
  repayment: z.enum(['repaid', 'late', 'defaulted']).optional().describe('Added once, later: how the plan was repaid.'),
}).describe("The risk engine's outcome of a decision.");

export const decisionOutcomeAnswerSchema = strictObject({
  decision_id: z.string(),
  change: z.enum(['created', 'unchanged', 'labelled']),
  outcome,
});

const replayed = strictObject({ value: featureValueSchema, status, event_time: instant.nullable() });

/** `POST /v1/decisions/{id}/replay`. */
export const decisionReplaySchema = strictObject({
  decision_id: z.string(),
  served_at: instant,
  verdict: z.enum(['equal', 'differs', 'not_replayable', 'partial']),
  counts: strictObject({ equal: z.number().int(), differs: z.number().int(), not_replayable: z.number().int() }),
  changed_definitions: z.array(z.string()),
  results: z.array(
    strictObject({
      entity_row: z.record(z.string(), z.string()),
      features: z.array(strictObject({ feature: z.string(), verdict: z.enum(['equal', 'differs', 'not_replayable']), served: replayed, replayed: replayed.optional(), reason: z.string().optional() })),
    }),
  ),
});

/** `GET /v1/decision-days/{day}/verification`. */
export const decisionDayVerificationSchema = strictObject({
  from: instant,
  to: instant,
  records: z.number().int(),
  complete: z.boolean(),
  untouched: z.boolean(),
  missing: z.number().int(),
  dropped: z.number().int(),
  unpublished: z.number().int(),
  edited: z.number().int(),
  broken_links: z.number().int(),
  gaps: z.array(strictObject({ instance_id: z.string(), from: z.number().int(), to: z.number().int(), kind: z.enum(['missing', 'dropped', 'unpublished']) })),
  problems: z.array(strictObject({ decision_id: z.string(), instance_id: z.string(), sequence: z.number().int(), problem: z.enum(['edited', 'broken-link']), detail: z.string() })),
  instances: z.array(strictObject({ instance_id: z.string(), first_sequence: z.number().int(), last_sequence: z.number().int(), records: z.number().int(), closed: z.boolean(), last_batch_at: instant.nullable() })),
  notes: z.array(z.string()),
});

/** `POST /v1/decision-days/{day}/replays` (202) and `GET /v1/decision-replays/{id}`. */
export const decisionReplayRunSchema = strictObject({
  run: strictObject({
    id: z.string(),
    day: z.string(),
    state: z.enum(['running', 'succeeded', 'failed']),
    decisions_done: z.number().int(),
    error: z.string().nullable(),
    started_at: instant,
    finished_at: instant.nullable(),
    report: strictObject({
      day: z.string(),
      decisions: z.number().int(),
      verdicts: strictObject({ equal: z.number().int(), differs: z.number().int(), partial: z.number().int(), not_replayable: z.number().int() }),
      features: z.array(strictObject({ feature: z.string(), equal: z.number().int(), differs: z.number().int(), not_replayable: z.number().int(), skew_rate: z.number().nullable() })),
      examples: z.array(strictObject({ decision_id: z.string(), entity_row: z.record(z.string(), z.string()), difference: z.record(z.string(), z.unknown()) })),
      seconds: z.number(),
      decisions_per_second: z.number(),
    }).nullable(),
  }),
});

/** The body of `POST /v1/decision-training-sets`. */
export const decisionTrainingSetRequestSchema = strictObject({
  from: z.string().describe('The first UTC day, YYYY-MM-DD.'),
  to: z.string().describe('The last UTC day, YYYY-MM-DD (included).'),
  feature_service: z.string().describe('The feature service the vectors were served with.'),
  output_file: z.string().describe('A .csv path relative to the batch-processor\'s job files root (JOB_FILES_ROOT); no `..`, no link leading out of it.'),
  overwrite: z.boolean().optional().describe('Replace the file if it exists (default: an existing file is refused, 400 JOB_FILE_REFUSED).'),
  labelled_only: z.boolean().optional().describe('Only decisions whose repayment is labelled.'),
});

export const decisionTrainingSetAnswerSchema = strictObject({ output_file: z.string(), rows: z.number().int() });
