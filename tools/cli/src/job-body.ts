/** Options shared by the job-submitting commands, as commander parses them. */
export interface JobOptions {
  views?: string;
  service?: string;
  incremental?: boolean;
  from?: string;
  to?: string;
  shardSize?: string;
  entities?: string;
  output?: string;
  format?: string;
  overwrite?: boolean;
  features?: string;
}

/**
 * CLI options -> `POST /v1/jobs` body. Only the shape is handled here (lists, numbers); the API
 * validates the meaning (unknown views, reversed ranges) and its message is shown as is.
 */
export function toJobBody(kind: 'materialize' | 'backfill' | 'historical', options: JobOptions): Record<string, unknown> {
  const body: Record<string, unknown> = { kind };
  // Paths go as given: they are relative to the batch-processor's job files root (JOB_FILES_ROOT), not to
  // the caller's directory (the API refuses what leads out of the root).
  if (options.entities !== undefined) body.entity_file = options.entities;
  if (options.output !== undefined) body.output_file = options.output;
  if (options.overwrite) body.overwrite = true;
  if (options.format !== undefined) body.output_format = options.format;
  if (options.features !== undefined) body.features = options.features.split(',').map((f) => f.trim()).filter(Boolean);
  if (options.views !== undefined) body.views = options.views.split(',').map((v) => v.trim()).filter(Boolean);
  if (options.service !== undefined) body.feature_service = options.service;
  if (options.incremental) body.incremental = true;
  if (options.from !== undefined) body.from = options.from;
  if (options.to !== undefined) body.to = options.to;
  if (options.shardSize !== undefined) {
    const n = Number(options.shardSize);
    if (!Number.isSafeInteger(n) || n < 1) throw new Error(`--shard-size must be a positive integer, got "${options.shardSize}"`);
    body.shard_size = n;
  }
  return body;
}
