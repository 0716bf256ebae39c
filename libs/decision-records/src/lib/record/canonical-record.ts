import { createHash } from 'node:crypto';
import { isMoney, type FeatureValue } from '@bnpl/feature-definitions';
import type { FeatureStatus, ValueOrigin } from '@bnpl/serving';
import { DECISION_EDGES, type DecisionDraft, type DecisionRecord, type SealedRecord, type ServedRow, type ServedValue } from './decision-record';

/**
 * The canonical body of a record: one JSON text, built field by field in a fixed order (never from an
 * object's key order), so the same record always gives the same bytes and the same hash. It is what is
 * hashed, published and stored; `hash` is its SHA-256. Version 1 layout:
 *
 * ```
 * {"v":1,"decision_id":…,"instance_id":…,"sequence":n,"previous_sequence":n,"previous_hash":…,
 *  "served_at":ISO,"edge":…,"principal":{"id":…,"kind":…}|null,"feature_service":…|null,
 *  "feature_names":[…],"definitions":{view:fingerprint, sorted},"request_context":{name:value, sorted},
 *  "stream_watermark":ISO|null,
 *  "rows":[{"entity":{join_key:id, sorted},"values":[[value,status,event_time|null,origin,streamed 0|1],…]},…]}
 * ```
 * A value is a JSON number (INT64, DOUBLE; a non-finite DOUBLE as `{"double":"NaN"}`), string, boolean, or
 * `{"amount_minor":n,"currency":"EUR"}`.
 */
export const BODY_VERSION = 1;

const STATUSES: ReadonlySet<string> = new Set<FeatureStatus>(['PRESENT', 'DEFAULT', 'STALE', 'MISSING']);
const ORIGINS: ReadonlySet<string> = new Set<ValueOrigin>(['l1', 'online-store', 'source', 'request']);

const str = JSON.stringify;

// The encoding runs for every served answer (off the request's path, on the same thread): the hot parts
// avoid JSON.stringify where the text needs no escaping, and format each distinct instant once.

function encodeValue(value: FeatureValue): string {
  switch (typeof value) {
    case 'number':
      // String(n) is JSON's number text for every finite number.
      return Number.isFinite(value) ? String(value) : `{"double":${str(String(value))}}`;
    case 'string':
      return str(value);
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      // A currency is three capital letters (isMoney): nothing to escape.
      return `{"amount_minor":${String(value.amountMinor)},"currency":"${value.currency}"}`;
  }
}

function encodeSorted(entries: Readonly<Record<string, unknown>>, encode: (v: never) => string): string {
  const keys = Object.keys(entries);
  if (keys.length > 1) keys.sort();
  let out = '{';
  for (let i = 0; i < keys.length; i++) out += `${i === 0 ? '' : ','}${str(keys[i])}:${encode(entries[keys[i]] as never)}`;
  return `${out}}`;
}

/**
 * Instants as quoted ISO text, each Date object formatted once: the event times of a view's values are one
 * Date, shared by every answer that reads the row while it is cached. ISO text needs no escaping.
 */
const formatted = new WeakMap<Date, string>();
function time(d: Date | null): string {
  if (d === null) return 'null';
  let text = formatted.get(d);
  if (text === undefined) {
    text = `"${d.toISOString()}"`;
    formatted.set(d, text);
  }
  return text;
}

const QUOTED: Readonly<Record<string, string>> = Object.fromEntries([...STATUSES, ...ORIGINS].map((k) => [k, `"${k}"`]));

/**
 * The last list of strings encoded, and its text: answers of one feature selection share their names
 * (the same strings, in the same order), so a comparison replaces most JSON.stringify calls.
 */
class ListText {
  #last: readonly string[] = [];
  #text = '[]';
  of(list: readonly string[]): string {
    const last = this.#last;
    let same = last.length === list.length;
    for (let i = 0; same && i < list.length; i++) same = last[i] === list[i];
    if (!same) {
      this.#last = list;
      this.#text = str(list);
    }
    return this.#text;
  }
}
const featureNamesText = new ListText();

function encodeRow(row: ServedRow): string {
  let out = `{"entity":${encodeSorted(row.entityRow, str)},"values":[`;
  // A view's values share their event time: the previous value's text is reused without a lookup.
  let lastTime: Date | null | undefined;
  let lastTimeText = 'null';
  const values = row.values;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v.eventTime !== lastTime) {
      lastTime = v.eventTime;
      lastTimeText = time(v.eventTime);
    }
    out += `${i === 0 ? '[' : ',['}${encodeValue(v.value)},${QUOTED[v.status]},${lastTimeText},${QUOTED[v.origin]},${v.streamed ? 1 : 0}]`;
  }
  return `${out}]}`;
}

/** The numbers and chain link of a record: what its instance adds to a draft. */
export interface RecordHeader {
  readonly instanceId: string;
  readonly sequence: number;
  readonly previousSequence: number;
  readonly previousHash: string;
}

/** The canonical body of a record (see BODY_VERSION); `header` stands in for the record's own numbers. */
export function encodeRecordBody(r: DecisionDraft, header: RecordHeader = r as DecisionRecord): string {
  let rows = '';
  for (let i = 0; i < r.rows.length; i++) rows += (i === 0 ? '' : ',') + encodeRow(r.rows[i]);
  return (
    `{"v":${BODY_VERSION},"decision_id":${str(r.decisionId)},"instance_id":${str(header.instanceId)},"sequence":${header.sequence},` +
    `"previous_sequence":${header.previousSequence},"previous_hash":"${header.previousHash}","served_at":${time(r.servedAt)},"edge":"${r.edge}",` +
    `"principal":${r.principal ? `{"id":${str(r.principal.id)},"kind":"${r.principal.kind}"}` : 'null'},` +
    `"feature_service":${r.featureService === null ? 'null' : str(r.featureService)},"feature_names":${featureNamesText.of(r.featureNames)},` +
    `"definitions":${encodeSorted(r.definitions, str)},"request_context":${encodeSorted(r.requestContext, encodeValue)},` +
    `"stream_watermark":${time(r.streamWatermark)},"rows":[${rows}]}`
  );
}

/** Lowercase hex SHA-256 of a body's UTF-8 bytes. */
export function hashBody(body: string): string {
  return createHash('sha256').update(body, 'utf8').digest('hex');
}

/** The record sealed: its body and hash, and the columns a store keeps beside them. */
export function sealRecord(record: DecisionDraft, header: RecordHeader = record as DecisionRecord): SealedRecord {
  const body = encodeRecordBody(record, header);
  return {
    decisionId: record.decisionId,
    instanceId: header.instanceId,
    sequence: header.sequence,
    previousSequence: header.previousSequence,
    previousHash: header.previousHash,
    servedAt: record.servedAt,
    customerId: record.rows[0]?.entityRow['customer_id'] ?? null,
    body,
    hash: hashBody(body),
  };
}

/** A body that does not read back as a record: edited by hand, truncated, or of an unknown version. */
export class MalformedRecordBodyError extends Error {
  constructor(detail: string) {
    super(`Malformed decision record body: ${detail}`);
    this.name = 'MalformedRecordBodyError';
  }
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function fail(detail: string): never {
  throw new MalformedRecordBodyError(detail);
}

function obj(v: Json | undefined, what: string): { [key: string]: Json } {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : fail(`${what} is not an object`);
}
function text(v: Json | undefined, what: string): string {
  return typeof v === 'string' ? v : fail(`${what} is not a string`);
}
function int(v: Json | undefined, what: string): number {
  return Number.isSafeInteger(v) && (v as number) >= 0 ? (v as number) : fail(`${what} is not a non-negative integer`);
}
function date(v: Json | undefined, what: string): Date {
  const d = new Date(text(v, what));
  return Number.isNaN(d.getTime()) ? fail(`${what} is not an instant`) : d;
}
function dateOrNull(v: Json | undefined, what: string): Date | null {
  return v === null ? null : date(v, what);
}

function decodeValue(v: Json | undefined, what: string): FeatureValue {
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  const o = obj(v, what);
  if ('double' in o) return Number(text(o['double'], what));
  const money = { amountMinor: o['amount_minor'], currency: o['currency'] };
  return isMoney(money) ? money : fail(`${what} is not a value`);
}

function decodeServed(v: Json, what: string): ServedValue {
  if (!Array.isArray(v) || v.length !== 5) fail(`${what} is not [value, status, event_time, origin, streamed]`);
  const status = text(v[1], `${what} status`);
  const origin = text(v[3], `${what} origin`);
  if (!STATUSES.has(status)) fail(`${what} has an unknown status`);
  if (!ORIGINS.has(origin)) fail(`${what} has an unknown origin`);
  return { value: decodeValue(v[0], what), status: status as FeatureStatus, eventTime: dateOrNull(v[2], `${what} event_time`), origin: origin as ValueOrigin, streamed: v[4] === 1 };
}

function stringMap(v: Json | undefined, what: string): Record<string, string> {
  return Object.fromEntries(Object.entries(obj(v, what)).map(([k, x]) => [k, text(x, `${what}.${k}`)]));
}

/** Reads a body back into its record. Throws MalformedRecordBodyError naming the first problem. */
export function decodeRecordBody(body: string): DecisionRecord {
  let parsed: Json;
  try {
    parsed = JSON.parse(body) as Json;
  } catch (error) {
    return fail(`not JSON (${(error as Error).message})`);
  }
  const r = obj(parsed, 'the body');
  if (r['v'] !== BODY_VERSION) fail(`unknown version ${String(r['v'])}`);
  const edge = text(r['edge'], 'edge');
  if (!(DECISION_EDGES as readonly string[]).includes(edge)) fail(`unknown edge ${edge}`);
  const principal = r['principal'] === null ? null : obj(r['principal'], 'principal');
  const kind = principal ? text(principal['kind'], 'principal.kind') : null;
  if (kind !== null && kind !== 'api-key' && kind !== 'jwt') fail('unknown principal kind');
  const names = r['feature_names'];
  if (!Array.isArray(names)) fail('feature_names is not a list');
  const rows = r['rows'];
  if (!Array.isArray(rows)) fail('rows is not a list');
  return {
    decisionId: text(r['decision_id'], 'decision_id'),
    instanceId: text(r['instance_id'], 'instance_id'),
    sequence: int(r['sequence'], 'sequence'),
    previousSequence: int(r['previous_sequence'], 'previous_sequence'),
    previousHash: text(r['previous_hash'], 'previous_hash'),
    servedAt: date(r['served_at'], 'served_at'),
    edge: edge as DecisionRecord['edge'],
    principal: principal ? { id: text(principal['id'], 'principal.id'), kind: kind as 'api-key' | 'jwt' } : null,
    featureService: r['feature_service'] === null ? null : text(r['feature_service'], 'feature_service'),
    featureNames: names.map((n, i) => text(n, `feature_names[${i}]`)),
    definitions: stringMap(r['definitions'], 'definitions'),
    requestContext: Object.fromEntries(Object.entries(obj(r['request_context'], 'request_context')).map(([k, v]) => [k, decodeValue(v, `request_context.${k}`)])),
    streamWatermark: dateOrNull(r['stream_watermark'], 'stream_watermark'),
    rows: rows.map((row, i) => {
      const o = obj(row, `rows[${i}]`);
      const values = o['values'];
      if (!Array.isArray(values)) fail(`rows[${i}].values is not a list`);
      if (values.length !== names.length) fail(`rows[${i}] has ${values.length} values for ${names.length} features`);
      return { entityRow: stringMap(o['entity'], `rows[${i}].entity`), values: values.map((v, j) => decodeServed(v, `rows[${i}].values[${j}]`)) };
    }),
  };
}
