import { hash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API keys look like `fsk_<id>_<secret>`: `fsk_` marks them (so secret scanners and our own
 * `Authorization: Bearer` parsing recognise them), `<id>` is 12 hex characters (48 random bits), public,
 * the key's id in lists, logs and the key table's primary key, `<secret>` is 32 random bytes (256 bits) in
 * base64url (43 characters). Only a SHA-256 hash of the whole key is stored.
 *
 * Why SHA-256 and not a slow hash (scrypt, argon2): slow hashes protect low-entropy passwords against
 * guessing; a 256-bit random secret cannot be guessed whatever the hash, and a fast hash keeps
 * verification on the hot path at about a microsecond.
 */
export const API_KEY_MARKER = 'fsk_';

const FORMAT = /^fsk_([0-9a-f]{12})_[A-Za-z0-9_-]{43}$/;
const IN_TEXT = /fsk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}/;

/** An API key id: 12 lowercase hex characters. */
export const API_KEY_ID = /^[0-9a-f]{12}$/;

export interface GeneratedApiKey {
  readonly id: string;
  /** The key itself: shown once to whoever created it, never stored. */
  readonly plaintext: string;
  /** SHA-256 of `plaintext`: what the key table stores. */
  readonly secretHash: Buffer;
}

/** A new random key (node:crypto randomBytes). */
export function generateApiKey(): GeneratedApiKey {
  const id = randomBytes(6).toString('hex');
  const plaintext = `${API_KEY_MARKER}${id}_${randomBytes(32).toString('base64url')}`;
  return { id, plaintext, secretHash: hashApiKey(plaintext) };
}

/** The id of a well-formed key, or undefined when `text` is not in the format. */
export function apiKeyIdOf(text: string): string | undefined {
  return FORMAT.exec(text)?.[1];
}

/** Whether `text` contains something in our key format (a key pasted into a URL, a log line). */
export function containsApiKey(text: string): boolean {
  return text.includes(API_KEY_MARKER) && IN_TEXT.test(text);
}

export function hashApiKey(plaintext: string): Buffer {
  // node:crypto's one-shot hash: the same SHA-256 as createHash, without a Hash object per call.
  return hash('sha256', plaintext, 'buffer');
}

/** Whether `plaintext` hashes to `secretHash`, compared in constant time. */
export function matchesApiKeyHash(plaintext: string, secretHash: Uint8Array): boolean {
  const actual = hashApiKey(plaintext);
  return actual.length === secretHash.length && timingSafeEqual(actual, secretHash);
}
