/**
 * Longest error message an edge sends (a REST problem's `detail`, a gRPC status's details). gRPC sends the
 * details in a trailer: an unbounded one (an error quoting a 100 KB name) exceeds HTTP/2's header limits and
 * the status never reaches the client, which then waits forever without a deadline. REST bodies stay
 * small for the same reason.
 */
export const MAX_ERROR_MESSAGE_LENGTH = 1_024;

/** Longest piece of one client input quoted in an error message: enough to recognise it. */
export const MAX_QUOTED_INPUT_LENGTH = 120;

/** `text` cut to at most `max` UTF-16 units, never inside a surrogate pair. */
function cut(text: string, max: number): string {
  const end = /[\uD800-\uDBFF]/.test(text.charAt(max - 1)) ? max - 1 : max;
  return text.slice(0, end);
}

/**
 * Client input as an error message quotes it: JSON-quoted, and when longer than `max`, its start and its
 * length (`"aaaa…" (102400 characters)`), so that a message stays small whatever a client sends.
 */
export function quoteInput(text: string, max = MAX_QUOTED_INPUT_LENGTH): string {
  if (text.length <= max) return JSON.stringify(text);
  return `${JSON.stringify(`${cut(text, max)}…`)} (${text.length} characters)`;
}

/**
 * An error message as an edge sends it: unchanged up to `max` characters, otherwise cut with a note saying
 * so. The edges apply it to every message, whatever produced it; `quoteInput` keeps messages meaningful
 * where they are built.
 */
export function boundMessage(message: string, max = MAX_ERROR_MESSAGE_LENGTH): string {
  if (message.length <= max) return message;
  const note = ` … (cut: ${message.length} characters)`;
  return `${cut(message, Math.max(0, max - note.length))}${note}`;
}
