/**
 * The value, or an Error for a broken internal invariant (something validation guarantees). Used
 * instead of `!` so that a bug fails loudly where it is, not as a TypeError later.
 */
export function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`Internal error: missing ${what}`);
  return value;
}
