import { randomFillSync } from 'node:crypto';
import { InvalidDecisionIdError } from '../errors/invalid-decision-id.error';

/** Longest decision id a caller may send (a UUID is 36 characters). */
export const MAX_DECISION_ID_LENGTH = 64;

/**
 * What a caller's decision id may look like: letters, digits and `._:-`, starting with a letter or digit,
 * at most 64 characters. A UUID is one; so is a risk engine's own application reference. Nothing that
 * could forge a log line, a header or a path segment.
 */
const DECISION_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Random bytes drawn in blocks: one `randomFillSync` per 409 ids instead of one per id. */
const POOL = Buffer.alloc(4096);
let poolOffset = POOL.length;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function random10(): Buffer {
  if (poolOffset + 10 > POOL.length) {
    randomFillSync(POOL);
    poolOffset = 0;
  }
  const bytes = POOL.subarray(poolOffset, poolOffset + 10);
  poolOffset += 10;
  return bytes;
}

/**
 * A new time-ordered UUID (version 7, RFC 9562): 48 bits of Unix milliseconds, then 74 random bits from
 * the OS CSPRNG. Ids sort by the instant they were made (to the millisecond), so a day of decisions is a
 * range of ids, and a B-tree over them stays append-mostly. node:crypto has `randomUUID` (version 4) only.
 *
 * @param nowMs the instant (default: now); `random` 10 bytes (default: the CSPRNG), for tests.
 */
export function newDecisionId(nowMs: number = Date.now(), random: Uint8Array = random10()): string {
  if (!Number.isSafeInteger(nowMs) || nowMs < 0 || nowMs >= 2 ** 48) throw new RangeError(`newDecisionId: ${nowMs} is not a 48-bit millisecond instant`);
  if (random.length < 10) throw new RangeError('newDecisionId: 10 random bytes are needed');
  const b = new Array<string>(16);
  let ms = nowMs;
  for (let i = 5; i >= 0; i--) {
    b[i] = HEX[ms % 256];
    ms = Math.floor(ms / 256);
  }
  b[6] = HEX[0x70 | (random[0] & 0x0f)];
  b[7] = HEX[random[1]];
  b[8] = HEX[0x80 | (random[2] & 0x3f)];
  for (let i = 9; i < 16; i++) b[i] = HEX[random[i - 6]];
  return `${b[0]}${b[1]}${b[2]}${b[3]}-${b[4]}${b[5]}-${b[6]}${b[7]}-${b[8]}${b[9]}-${b[10]}${b[11]}${b[12]}${b[13]}${b[14]}${b[15]}`;
}

/**
 * A caller's decision id checked: returned as given. Throws InvalidDecisionIdError naming the problem
 * for an empty, too long or malformed id, or for a header sent more than once.
 */
export function checkDecisionId(given: unknown): string {
  if (Array.isArray(given)) throw new InvalidDecisionIdError(given.join(','), 'given more than once');
  if (typeof given !== 'string') throw new InvalidDecisionIdError(given, 'must be a string');
  if (given.length === 0) throw new InvalidDecisionIdError(given, 'is empty');
  if (given.length > MAX_DECISION_ID_LENGTH) throw new InvalidDecisionIdError(given, `is longer than ${MAX_DECISION_ID_LENGTH} characters`);
  if (!DECISION_ID.test(given)) throw new InvalidDecisionIdError(given, 'may hold only letters, digits and . _ : - and must start with a letter or digit');
  return given;
}

/**
 * The decision id of an answer: the caller's (checked), or a new UUID v7 when the caller sent none.
 * Throws InvalidDecisionIdError for a malformed one: a caller that names its decisions must learn at once
 * that a name was refused, rather than find it missing years later.
 */
export function decisionIdFor(given: string | string[] | undefined, nowMs?: number): string {
  return given === undefined ? newDecisionId(nowMs) : checkDecisionId(given);
}

/** The instant a UUID v7 decision id was made (to the millisecond), or null for another kind of id. */
export function decisionIdTime(id: string): Date | null {
  if (!UUID_V7.test(id)) return null;
  return new Date(Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16));
}
