/**
 * Errors the generator reports to its caller with a stable `reason`, so the CLI can map each to a
 * message and an exit code without parsing messages.
 */
export type GeneratorErrorReason = 'INVALID_OPTIONS' | 'DATABASE_UNAVAILABLE' | 'MIGRATION_FAILED' | 'SCHEMA_MISSING' | 'TABLES_NOT_EMPTY' | 'WRITE_FAILED' | 'ABORTED';

export class DataGeneratorError extends Error {
  constructor(
    readonly reason: GeneratorErrorReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DataGeneratorError';
  }
}
