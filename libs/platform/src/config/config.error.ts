/** The environment does not satisfy a service's config schema; the message names each bad variable. */
export class ConfigError extends Error {
  readonly reason = 'INVALID_CONFIGURATION';
  constructor(
    readonly service: string,
    readonly problems: ReadonlyArray<{ variable: string; message: string }>,
  ) {
    super(`Invalid configuration for ${service}:\n` + problems.map((p) => `  - ${p.variable}: ${p.message}`).join('\n'));
    this.name = 'ConfigError';
  }
}
