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
 *  "rows":[{"entity":{join_key:id, sorted},"times":[ISO,…],"values":[[value,status,time,origin,streamed],…]},…]}
 * ```
 * Per value: the value, a JSON number (INT64, DOUBLE; a non-finite DOUBLE as `{"double":"NaN"}`), string,
 * boolean, or `{"amount_minor":n,"currency":"EUR"}`; the status, `"P"` PRESENT, `"D"` DEFAULT, `"S"` STALE,
 * `"M"` MISSING; the event time, an index into the row's `times` (each distinct instant once, in first use:
 * a view's values share theirs) or null; the origin, `"l"` L1, `"o"` online store, `"s"` source, `"r"`
 * request; 1 when the stream keeps the row, else 0. Short codes keep a record about 40 % smaller than words
 * would: it is built, hashed, published and stored for every answer. The API writes them out in full.
 */
export const BODY_VERSION = 1;

const STATUS_CODES: Readonly<Record<FeatureStatus, string>> = { PRESENT: 'P', DEFAULT: 'D', STALE: 'S', MISSING: 'M' };
const ORIGIN_CODES: Readonly<Record<ValueOrigin, string>> = { l1: 'l', 'online-store': 'o', source: 's', request: 'r' };
const STATUS_OF: ReadonlyMap<string, FeatureStatus> = new Map(Object.entries(STATUS_CODES).map(([k, v]) => [v, k as FeatureStatus]));
const ORIGIN_OF: ReadonlyMap<string, ValueOrigin> = new Map(Object.entries(ORIGIN_CODES).map(([k, v]) => [v, k as ValueOrigin]));
const QUOTED_STATUS: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(STATUS_CODES).map(([k, v]) => [k, `"${v}"`]));
const QUOTED_ORIGIN: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(ORIGIN_CODES).map(([k, v]) => [k, `"${v}"`]));

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
 * Instants as quoted ISO text, formatted once per distinct millisecond while the cache holds it: the rows of
 * hot entities come back with the same event times answer after answer. Bounded: cleared when full.
 */
const formatted = new Map<number, string>();
const MAX_FORMATTED = 50_000;
function time(d: Date | null): string {
  if (d === null) return 'null';
  const ms = d.getTime();
  let text = formatted.get(ms);
  if (text === undefined) {
    if (formatted.size >= MAX_FORMATTED) formatted.clear();
    text = `"${d.toISOString()}"`;
    formatted.set(ms, text);
  }
  return text;
}

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

/**
 * The text after a value, `,"P",0,"l",1]`, kept per (time index, status, origin, streamed): a value then
 * costs two concatenations instead of ten. Fewer pieces make the body's rope cheaper to build, and to
 * flatten when it is hashed, which cost more than the hash itself on a 100-row record.
 */
const TAILS: string[] = [];
const STATUS_NUMBER: Readonly<Record<string, number>> = Object.fromEntries(Object.keys(STATUS_CODES).map((s, i) => [s, i]));
const ORIGIN_NUMBER: Readonly<Record<string, number>> = Object.fromEntries(Object.keys(ORIGIN_CODES).map((o, i) => [o, i]));
/** Time indexes with cached tails (a row has one time per view read); a later one's tail is built each time. */
const CACHED_TIME_INDEXES = 63;

function tailOf(timeIndex: number, status: FeatureStatus, origin: ValueOrigin, streamed: boolean): string {
  const key = timeIndex < CACHED_TIME_INDEXES ? (((timeIndex + 1) * 4 + STATUS_NUMBER[status]) * 4 + ORIGIN_NUMBER[origin]) * 2 + (streamed ? 1 : 0) : -1;
  const cached = key < 0 ? undefined : TAILS[key];
  if (cached !== undefined) return cached;
  const tail = `,${QUOTED_STATUS[status]},${timeIndex < 0 ? 'null' : String(timeIndex)},${QUOTED_ORIGIN[origin]},${streamed ? 1 : 0}]`;
  if (key >= 0) TAILS[key] = tail;
  return tail;
}

function encodeRow(row: ServedRow): string {
  // Each distinct event time once, in first use; a view's values share theirs, so most lookups are a
  // comparison with the previous value's.
  let times = '';
  // A row has a handful of distinct times (one per view read): a linear search beats a map.
  const timeMs: number[] = [];
  let lastTime: Date | null | undefined;
  let lastIndex = -1;
  let values = '';
  const served = row.values;
  for (let i = 0; i < served.length; i++) {
    const v = served[i];
    if (v.eventTime !== lastTime) {
      lastTime = v.eventTime;
      if (v.eventTime === null) lastIndex = -1;
      else {
        const ms = v.eventTime.getTime();
        let index = timeMs.indexOf(ms);
        if (index < 0) {
          index = timeMs.push(ms) - 1;
          times += (index === 0 ? '' : ',') + time(v.eventTime);
        }
        lastIndex = index;
      }
    }
    values += (i === 0 ? '[' : ',[') + encodeValue(v.value) + tailOf(lastIndex, v.status, v.origin, v.streamed);
  }
  return `{"entity":${encodeSorted(row.entityRow, str)},"times":[${times}],"values":[${values}]}`;
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

function decodeServed(v: Json, times: readonly Date[], what: string): ServedValue {
  if (!Array.isArray(v) || v.length !== 5) fail(`${what} is not [value, status, time, origin, streamed]`);
  const status = STATUS_OF.get(text(v[1], `${what} status`));
  const origin = ORIGIN_OF.get(text(v[3], `${what} origin`));
  if (!status) fail(`${what} has an unknown status`);
  if (!origin) fail(`${what} has an unknown origin`);
  const t = v[2];
  if (t !== null && !(Number.isSafeInteger(t) && (t as number) >= 0 && (t as number) < times.length)) fail(`${what} names no time of its row`);
  if (v[4] !== 0 && v[4] !== 1) fail(`${what} streamed is not 0 or 1`);
  return { value: decodeValue(v[0], what), status: status as FeatureStatus, eventTime: t === null ? null : times[t as number], origin: origin as ValueOrigin, streamed: v[4] === 1 };
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
      const times = o['times'];
      if (!Array.isArray(times)) fail(`rows[${i}].times is not a list`);
      const instants = times.map((t, k) => date(t, `rows[${i}].times[${k}]`));
      return { entityRow: stringMap(o['entity'], `rows[${i}].entity`), values: values.map((v, j) => decodeServed(v, instants, `rows[${i}].values[${j}]`)) };
    }),
  };
}
