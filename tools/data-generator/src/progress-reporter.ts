/**
 * Shows generation progress: a cli-progress bar on a terminal, plain periodic lines otherwise (CI logs,
 * pipes), where redrawing a bar would only produce noise.
 */
import { SingleBar } from 'cli-progress';
import { type GenerationProgress, type GenerationSummary } from './generate';
import { TABLES } from './model/rows';

export interface ProgressReporter {
  update(progress: GenerationProgress): void;
  /** Ends the bar (if any), so that what follows starts on a clean line. */
  stop(): void;
}

const PLAIN_INTERVAL_MS = 5_000;

export function createProgressReporter(out: NodeJS.WriteStream): ProgressReporter {
  return out.isTTY ? new BarReporter(out) : new LineReporter(out);
}

class BarReporter implements ProgressReporter {
  private readonly bar: SingleBar;
  private started = false;

  constructor(out: NodeJS.WriteStream) {
    this.bar = new SingleBar({
      stream: out,
      format: ' {phase} |{bar}| {percentage}% | {value}/{total} customers | {rows} rows written | {rate} rows/s | ETA {eta_formatted}',
      barCompleteChar: '\u2588',
      barIncompleteChar: '\u2591',
      hideCursor: true,
      etaBuffer: 50,
      fps: 5,
    });
  }

  update(p: GenerationProgress): void {
    const written = totalRows(p.rowsWritten);
    const payload = { phase: p.phase.padEnd(10), rows: fmt(written), rate: fmt(written / Math.max(0.001, p.elapsedMs / 1000)) };
    if (!this.started) {
      this.bar.start(Math.max(1, p.customersTotal), p.customersGenerated, payload);
      this.started = true;
    } else {
      this.bar.update(p.customersGenerated, payload);
    }
  }

  stop(): void {
    if (this.started) this.bar.stop();
    this.started = false;
  }
}

class LineReporter implements ProgressReporter {
  private lastLine = -Infinity;
  private lastPhase = '';

  constructor(private readonly out: NodeJS.WriteStream) {}

  update(p: GenerationProgress): void {
    const now = p.elapsedMs;
    if (p.phase === this.lastPhase && now - this.lastLine < PLAIN_INTERVAL_MS) return;
    this.lastPhase = p.phase;
    this.lastLine = now;
    const written = totalRows(p.rowsWritten);
    const pct = p.customersTotal === 0 ? 100 : (100 * p.customersGenerated) / p.customersTotal;
    this.out.write(
      `[${(now / 1000).toFixed(1)}s] ${p.phase}: ${fmt(p.customersGenerated)}/${fmt(p.customersTotal)} customers (${pct.toFixed(1)}%), ` +
        `${fmt(written)} rows written, ${fmt(written / Math.max(0.001, now / 1000))} rows/s\n`,
    );
  }

  stop(): void {
    // Nothing to tidy: every line is complete.
  }
}

/** The end-of-run report: rows per table, time, throughput. */
export function formatSummary(s: GenerationSummary): string {
  const width = Math.max(...TABLES.map((t) => fmt(s.rows[t]).length), fmt(s.totalRows).length);
  const lines = [
    `Generated seed ${s.seed}, as of ${s.asOf.toISOString().slice(0, 10)}, in ${(s.elapsedMs / 1000).toFixed(1)} s (${fmt(s.rowsPerSecond)} rows/s; setval + ANALYZE ${(s.finalizeMs / 1000).toFixed(1)} s)`,
    ...(s.migrationsApplied === null ? [] : [`  migrations applied: ${s.migrationsApplied.length === 0 ? 'none (up to date)' : s.migrationsApplied.join(', ')}`]),
    ...TABLES.map((t) => `  ${t.padEnd(13)} ${fmt(s.rows[t]).padStart(width)}`),
    `  ${'total'.padEnd(13)} ${fmt(s.totalRows).padStart(width)}`,
  ];
  return lines.join('\n') + '\n';
}

function totalRows(rows: GenerationProgress['rowsWritten']): number {
  return TABLES.reduce((sum, t) => sum + rows[t], 0);
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
