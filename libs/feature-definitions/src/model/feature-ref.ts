/** A parsed `view:feature` or `view:*` reference. */
export interface ParsedFeatureRef {
  readonly view: string;
  /** `*` for every feature of the view. */
  readonly feature: string;
}

const NAME = '[a-z][a-z0-9_]*';
const NAME_RE = new RegExp(`^${NAME}$`);
const REF_RE = new RegExp(`^(${NAME}):(${NAME}|\\*)$`);

/** Names of entities, sources, views, features, columns and services: lower_snake_case, at most 63 chars (a PostgreSQL identifier). */
export function isValidName(name: unknown): name is string {
  return typeof name === 'string' && name.length <= 63 && NAME_RE.test(name);
}

/** Parses a reference, or returns undefined when it is malformed. */
export function parseFeatureRef(ref: unknown): ParsedFeatureRef | undefined {
  if (typeof ref !== 'string') return undefined;
  const m = REF_RE.exec(ref);
  return m ? { view: m[1], feature: m[2] } : undefined;
}

export function formatFeatureRef(view: string, feature: string): string {
  return `${view}:${feature}`;
}
