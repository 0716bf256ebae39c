/**
 * How an order's amount is split into instalments and when they fall due.
 *
 * Amounts: every instalment gets floor(total / count) minor units and the first also takes the
 * remainder, so the instalments sum exactly to the order amount (no float ever touches money).
 * Due dates: instalment `seq` (1-based) is due `seq * intervalDays` after the order day.
 */
export function installmentAmount(totalMinor: number, count: number, seq: number): number {
  if (!Number.isSafeInteger(totalMinor) || totalMinor < count) throw new RangeError(`cannot split ${totalMinor} minor units into ${count} positive instalments`);
  const base = Math.floor(totalMinor / count);
  return seq === 1 ? totalMinor - base * (count - 1) : base;
}

/** All instalment amounts of an order, in sequence order. */
export function splitAmount(totalMinor: number, count: number): number[] {
  const out: number[] = [];
  for (let seq = 1; seq <= count; seq++) out.push(installmentAmount(totalMinor, count, seq));
  return out;
}

export function dueDay(orderDay: number, intervalDays: number, seq: number): number {
  return orderDay + seq * intervalDays;
}
