/**
 * What to undo at the end of a run, run in reverse order of registration (services before the stores they
 * use, directories last). Each step runs once: a second `runAll` while one is in progress (Ctrl-C during
 * the normal exit) waits for the same run.
 */
export class Cleanups {
  readonly #steps: Array<{ what: string; run: () => Promise<void> | void }> = [];
  #running?: Promise<void>;

  add(what: string, run: () => Promise<void> | void): void {
    this.#steps.push({ what, run });
  }

  /**
   * On SIGINT (Ctrl-C) or SIGTERM (`timeout`, a CI runner), runs every step and exits 128 + the signal's
   * number: without it a killed benchmark leaves its services, stores and emulator running (they are not
   * in its process group), and they take CPU from whatever is measured next.
   */
  exitOnSignals(report: (message: string) => void, signals: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143 }): void {
    for (const [signal, code] of Object.entries(signals)) process.once(signal as NodeJS.Signals, () => void this.runAll(report).then(() => process.exit(code)));
  }

  /** Runs every step, newest first; a failing step is reported and does not stop the others. */
  runAll(report: (message: string) => void): Promise<void> {
    this.#running ??= this.#run(report).finally(() => (this.#running = undefined));
    return this.#running;
  }

  async #run(report: (message: string) => void): Promise<void> {
    for (let step = this.#steps.pop(); step; step = this.#steps.pop()) {
      try {
        await step.run();
      } catch (error) {
        report(`while stopping ${step.what}: ${(error as Error).message}`);
      }
    }
  }
}
