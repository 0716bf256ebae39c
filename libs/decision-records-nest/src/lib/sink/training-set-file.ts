import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { once } from 'node:events';
import type { TrainingCell } from '@bnpl/decision-records';

function csvCell(cell: TrainingCell): string {
  if (cell === null) return '';
  const text = String(cell);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Writes rows (header first) as CSV to `path`; resolves with the number of data rows. */
export async function writeCsv(path: string, rows: AsyncIterable<readonly TrainingCell[]>): Promise<number> {
  await mkdir(dirname(path), { recursive: true });
  const out = createWriteStream(path);
  let count = -1;
  try {
    for await (const row of rows) {
      if (!out.write(`${row.map(csvCell).join(',')}\n`)) await once(out, 'drain');
      count++;
    }
  } finally {
    out.end();
    await once(out, 'close');
  }
  return Math.max(0, count);
}
