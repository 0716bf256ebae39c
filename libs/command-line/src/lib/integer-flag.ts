import { UsageError } from './usage-error';

/**
 * `raw`, the value given to `flag`, as an integer of at least `min`. Blank text is refused (Number('')
 * would read it as 0), and so is anything beyond Number.MAX_SAFE_INTEGER (it would be rounded).
 *
 * @throws UsageError `--customers must be an integer >= 100, got "lots"`
 */
export function parseIntegerFlag(flag: string, raw: string, min: number): number {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isSafeInteger(n) || n < min) throw new UsageError(`${flag} must be an integer >= ${min}, got "${raw}"`);
  return n;
}
