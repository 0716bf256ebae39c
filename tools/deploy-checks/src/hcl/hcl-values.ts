/**
 * Values as @cdktf/hcl2json gives them: an attribute is its value (string, number, bool, object, list),
 * a block is an array of bodies (one per occurrence), and anything that is not a literal is a string
 * holding its expression, `${...}` (a template may mix text and `${...}`).
 */
export type HclBody = Readonly<Record<string, unknown>>;

export function isBody(value: unknown): value is HclBody {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One occurrence of a block: a static one, or the `content` of a `dynamic` one with its `for_each`. */
export interface BlockInstance {
  readonly body: HclBody;
  /** The `for_each` of a `dynamic` block (an expression string, or a literal list or map). */
  readonly dynamicForEach?: unknown;
}

/** The blocks `name` of a body: static ones, then the content of each `dynamic "name"`. */
export function blocks(body: HclBody | undefined, name: string): BlockInstance[] {
  if (!body) return [];
  const found: BlockInstance[] = asBodies(body[name]).map((b) => ({ body: b }));
  const dynamic = body['dynamic'];
  if (isBody(dynamic)) {
    for (const d of asBodies(dynamic[name])) {
      for (const content of asBodies(d['content'])) found.push({ body: content, dynamicForEach: d['for_each'] });
    }
  }
  return found;
}

/** The first block `name` of a body (static or dynamic), if any. */
export function block(body: HclBody | undefined, name: string): HclBody | undefined {
  return blocks(body, name)[0]?.body;
}

function asBodies(value: unknown): HclBody[] {
  if (Array.isArray(value)) return value.filter(isBody);
  return isBody(value) ? [value] : [];
}

/** A string holding (or containing) an expression. */
export function isExpression(value: unknown): value is string {
  return typeof value === 'string' && value.includes('${');
}

/** A string with no expression in it. */
export function literalString(value: unknown): string | undefined {
  return typeof value === 'string' && !value.includes('${') ? value : undefined;
}

/** The name X of an expression that is exactly `var.X`. */
export function variableOf(value: unknown): string | undefined {
  return typeof value === 'string' ? /^\$\{var\.([A-Za-z_][\w-]*)\}$/.exec(value)?.[1] : undefined;
}

/** The name X of an expression that is exactly `local.X`. */
export function localOf(value: unknown): string | undefined {
  return typeof value === 'string' ? /^\$\{local\.([A-Za-z_][\w-]*)\}$/.exec(value)?.[1] : undefined;
}

/** Every string inside a value (object keys excluded), depth first. */
export function allStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(allStrings);
  if (isBody(value)) return Object.values(value).flatMap(allStrings);
  return [];
}

/** Names of the resources of `type` an expression (or any string inside a value) refers to. */
export function resourceRefs(value: unknown, type: string): string[] {
  const pattern = new RegExp(`(?<![\\w.])${type}\\.([A-Za-z_][\\w-]*)`, 'g');
  return [...new Set(allStrings(value).flatMap((s) => [...s.matchAll(pattern)].map((m) => m[1])))];
}

/** The text of an expression without its `${` `}`, or the value as JSON when it is a literal. */
export function expressionText(value: unknown): string {
  if (typeof value === 'string') {
    const m = /^\$\{([\s\S]*)\}$/.exec(value);
    return m ? m[1].trim() : value;
  }
  return JSON.stringify(value);
}
