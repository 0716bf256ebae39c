/**
 * One table of bad input, from which rest-gateway's and grpc-serving's bad-input suites generate a test
 * per (case, endpoint or RPC): each case says what is sent, in terms every edge can express, and what must
 * come back. Each edge renders a case in its own wire format; a case an endpoint cannot express says so in
 * its `skip` with the reason, so every gap is written down.
 */

/** The classes of bad input that must never cost a 5xx or a hang. */
export type BadInputClass = 'arithmetic overflow' | 'huge names' | 'unknown request input' | 'huge batch';

/** Money as both edges take it. */
export interface CaseMoney {
  readonly amountMinor: string;
  readonly currency: string;
}

/** A feature read, as any read endpoint or RPC can carry it. */
export interface CaseRead {
  readonly featureService?: string;
  readonly features?: readonly string[];
  /** Entity rows: join key -> id. */
  readonly rows: ReadonlyArray<Readonly<Record<string, string>>>;
  readonly requestContext?: Readonly<Record<string, CaseMoney | number>>;
}

/** The endpoints and RPCs a read case runs against. */
export type ReadEndpoint = 'GET /v1/customers/{id}/features' | 'POST /v1/features/online' | 'POST /get-online-features' | 'GetOnlineFeatures';

export type CaseOutcome =
  /** Refused as the caller's fault (400 / 422 for Feast / INVALID_ARGUMENT), the message naming `named`, at most 1,024 characters. */
  | { readonly refused: RegExp }
  /** Answered (200 / OK), this feature having its catalog default with status DEFAULT in every row. */
  | { readonly defaultOf: string };

export interface BadReadCase {
  readonly class: BadInputClass;
  readonly name: string;
  readonly read: CaseRead;
  readonly outcome: CaseOutcome;
  /** Endpoints that cannot express the case, with why; or an outcome of their own (e.g. a documented limit). */
  readonly per?: Partial<Record<ReadEndpoint, { readonly skip: string } | { readonly outcome: CaseOutcome }>>;
  /** Answers must come within this (ms): a refusal by size may not parse everything first. Default 5,000. */
  readonly withinMs?: number;
}

/** Customer 1 owes 20,000 EUR minor units (an active order, one instalment still scheduled); merchant 10 exists. */
export const BAD_INPUT_SEED_SQL: readonly string[] = [
  `INSERT INTO merchants (id, name, category, country, created_at) VALUES (10, 'Shop', 'fashion', 'DE', now() - interval '400 days')`,
  `INSERT INTO customers (id, email, full_name, country, currency, kyc_level, credit_limit_minor, created_at, updated_at)
   VALUES (1, 'a@example.com', 'A', 'DE', 'EUR', 2, 100000, now() - interval '400 days', now() - interval '1 day')`,
  `INSERT INTO orders (id, customer_id, merchant_id, amount_minor, currency, installment_count, status, created_at, updated_at)
   VALUES (100, 1, 10, 30000, 'EUR', 3, 'active', now() - interval '20 days', now() - interval '1 day')`,
  `INSERT INTO installments (id, order_id, customer_id, seq, amount_minor, currency, due_date, status, paid_at, days_past_due, updated_at)
   VALUES (1001, 100, 1, 2, 20000, 'EUR', (now() + interval '20 days')::date, 'scheduled', NULL, 0, now() - interval '1 day')`,
];

/** 2^53-1: the largest amount both edges accept, documented as such. */
export const MAX_AMOUNT_MINOR = '9007199254740991';

/** A name of `bytes` ASCII characters that resolves to nothing. */
export const hugeName = (bytes: number, prefix = 'x') => prefix + 'x'.repeat(Math.max(0, bytes - prefix.length));

/** Limits the edges admit: REST bodies 1 MiB, gRPC messages 4 MiB. Names near each, with room for the rest of the request. */
export const LARGEST_REST_NAME = 1_048_576 - 1_024;
export const LARGEST_GRPC_NAME = 4 * 1_048_576 - 1_024;

const creditDecision = (requestedMinor: string): CaseRead => ({
  featureService: 'credit_decision_v1',
  rows: [{ customer_id: '1', merchant_id: '10' }],
  requestContext: { requested_amount: { amountMinor: requestedMinor, currency: 'EUR' } },
});

const NOT_IN_A_URL = 'a name this long does not fit a URL (16 KiB of headers): the largest inputs are sent in bodies';
const BODY_OVER_LIMIT = 'this size is over the REST body limit: the 413 case covers it';

/** Every read case; each suite runs each against every endpoint of its edge. */
export const BAD_READ_CASES: readonly BadReadCase[] = [
  {
    class: 'arithmetic overflow',
    name: 'the largest accepted amount for a customer who owes something',
    read: creditDecision(MAX_AMOUNT_MINOR),
    outcome: { defaultOf: 'credit_request:exposure_after_order' },
    per: {
      // The query string's documented limit is 15 digits: refused up front, naming it.
      'GET /v1/customers/{id}/features': { outcome: { refused: /at most 15 digits/ } },
    },
  },
  ...[100 * 1024, LARGEST_REST_NAME, LARGEST_GRPC_NAME].flatMap((bytes): BadReadCase[] => {
    const overRest = bytes > LARGEST_REST_NAME;
    const size = `${Math.round(bytes / 1024)} KiB`;
    const restOnlyUpTo = overRest ? { 'POST /v1/features/online': { skip: BODY_OVER_LIMIT }, 'POST /get-online-features': { skip: BODY_OVER_LIMIT } } : {};
    const notInUrl = { 'GET /v1/customers/{id}/features': { skip: NOT_IN_A_URL } };
    return [
      { class: 'huge names', name: `a ${size} feature name`, read: { features: [`customer_profile:${hugeName(bytes)}`], rows: [{ customer_id: '1' }] }, outcome: { refused: /Unknown feature "customer_profile:x+…" \(\d+ characters\)/ }, per: { ...notInUrl, ...restOnlyUpTo } },
      { class: 'huge names', name: `a ${size} view name`, read: { features: [`${hugeName(bytes)}:kyc_level`], rows: [{ customer_id: '1' }] }, outcome: { refused: /Unknown feature view "x+…" \(\d+ characters\)/ }, per: { ...notInUrl, ...restOnlyUpTo } },
      { class: 'huge names', name: `a ${size} service name`, read: { featureService: hugeName(bytes), rows: [{ customer_id: '1' }] }, outcome: { refused: /Unknown feature service "x+…" \(\d+ characters\)/ }, per: { ...notInUrl, ...restOnlyUpTo } },
      {
        class: 'huge names',
        name: `a ${size} join key`,
        read: { features: ['customer_profile:kyc_level'], rows: [{ customer_id: '1', [hugeName(bytes, 'k')]: '1' }] },
        outcome: { refused: /unknown (join key|field) "kx+…/ },
        per: {
          ...notInUrl,
          ...restOnlyUpTo,
          'POST /get-online-features': { skip: "Feast's server ignores entity columns it does not know (kept for Feast compatibility)" },
        },
      },
    ];
  }),
  {
    class: 'unknown request input',
    name: 'a request input the catalog does not declare',
    read: { ...creditDecision('5000'), requestContext: { requested_amount: { amountMinor: '5000', currency: 'EUR' }, amount: 1 } },
    outcome: { refused: /"amount"/ },
    per: {
      'GET /v1/customers/{id}/features': { skip: 'the query string carries the one request input as named parameters' },
      'POST /get-online-features': { skip: "Feast's server ignores entity columns it does not know (kept for Feast compatibility)" },
    },
  },
  {
    class: 'unknown request input',
    name: 'a misspelt request input beside no other',
    read: { features: ['customer_profile:kyc_level'], rows: [{ customer_id: '1' }], requestContext: { requested_ammount: { amountMinor: '5000', currency: 'EUR' } } },
    outcome: { refused: /"requested_ammount"/ },
    per: {
      'GET /v1/customers/{id}/features': { skip: 'the query string carries the one request input as named parameters' },
      'POST /get-online-features': { skip: "Feast's server ignores entity columns it does not know (kept for Feast compatibility)" },
    },
  },
  {
    class: 'huge batch',
    name: '100,000 entity rows',
    read: { features: ['customer_profile:kyc_level'], rows: Array.from({ length: 100_000 }, (_, i) => ({ customer_id: String(i + 1) })) },
    outcome: { refused: /at most 1000 entity rows per request, got 100000|100000, at most 1000/ },
    withinMs: 1_500,
    per: {
      'GET /v1/customers/{id}/features': { skip: 'one customer per call' },
      // 100,000 ids as strings are 2 MB of JSON: over the body limit (413). The REST size check is proven
      // with the most rows a 1 MiB body holds (empty rows, below).
      'POST /v1/features/online': { skip: BODY_OVER_LIMIT },
    },
  },
  {
    class: 'huge batch',
    name: '300,000 empty entity rows (the most a 1 MiB body holds)',
    read: { features: ['customer_profile:kyc_level'], rows: Array.from({ length: 300_000 }, () => ({})) },
    outcome: { refused: /at most 1000 entity rows per request, got 300000|300000, at most 1000/ },
    withinMs: 1_500,
    per: {
      'GET /v1/customers/{id}/features': { skip: 'one customer per call' },
      'POST /get-online-features': { skip: 'Feast bodies are columns of ids: an empty row cannot be written' },
    },
  },
];

/** The outcome a case has on one endpoint, or the reason it does not run there. */
export function caseOn(c: BadReadCase, endpoint: ReadEndpoint): CaseOutcome | { readonly skip: string } {
  const own = c.per?.[endpoint];
  if (own && 'skip' in own) return own;
  return own?.outcome ?? c.outcome;
}

/** Sizes of REST bodies over the 1 MiB limit that common clients must see refused with 413 (not a reset). */
export const OVERSIZED_BODY_BYTES: readonly number[] = [1_500_000, 2_000_000, 10_000_000];
