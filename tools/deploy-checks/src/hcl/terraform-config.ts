import { readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';
import { parse } from '@cdktf/hcl2json';
import { isBody, localOf, type HclBody } from './hcl-values';

/** Where a block was declared: the file, and its directory (a module), both relative to the root. */
export interface Located {
  readonly file: string;
  readonly dir: string;
}

export interface TfResource extends Located {
  readonly type: string;
  readonly name: string;
  /** `type.name`, as other blocks refer to it. */
  readonly address: string;
  readonly body: HclBody;
}

export interface TfModuleCall extends Located {
  readonly name: string;
  /** `module.name`, or `module.name["key"]` for one instance of a `for_each` call. */
  readonly address: string;
  /** The instance's `for_each` key. */
  readonly key?: string;
  readonly source: string;
  /** The called module's directory, for a local source (`./`, `../`). */
  readonly targetDir?: string;
  readonly body: HclBody;
}

export interface TfNamedBlock extends Located {
  readonly name: string;
  readonly body: HclBody;
}

interface TfFile extends Located {
  readonly json: HclBody;
}

/**
 * The Terraform files under a root, parsed with @cdktf/hcl2json (HCL syntax only: no provider schema,
 * no evaluation). Directories are modules: references resolve within one directory.
 */
export class TerraformConfig {
  private constructor(private readonly files: readonly TfFile[]) {}

  /** Every `.tf` file under `root` (skipping `.terraform`); a syntax error rejects, naming the file. */
  static async load(root: string): Promise<TerraformConfig> {
    const sources: Record<string, string> = {};
    for (const path of tfFiles(root)) sources[relative(root, path).split(sep).join('/')] = readFileSync(path, 'utf8');
    return TerraformConfig.fromSources(sources);
  }

  /** Files given as `{ 'dir/main.tf': 'HCL text' }` (paths relative to an imaginary root). */
  static async fromSources(sources: Readonly<Record<string, string>>): Promise<TerraformConfig> {
    const files: TfFile[] = [];
    // One at a time: the parser is a single WebAssembly instance.
    for (const [file, text] of Object.entries(sources).sort(([a], [b]) => a.localeCompare(b))) {
      let json: unknown;
      try {
        json = await parse(file, text);
      } catch (error) {
        throw new Error(`${file}: ${error instanceof Error ? error.message : String(error)}`);
      }
      files.push({ file, dir: posix.dirname(file), json: isBody(json) ? json : {} });
    }
    return new TerraformConfig(files);
  }

  get fileNames(): string[] {
    return this.files.map((f) => f.file);
  }

  get dirs(): string[] {
    return [...new Set(this.files.map((f) => f.dir))];
  }

  resources(type?: string, dir?: string): TfResource[] {
    return this.typedBlocks('resource', type, dir);
  }

  dataSources(type?: string, dir?: string): TfResource[] {
    return this.typedBlocks('data', type, dir);
  }

  /**
   * Module calls as Terraform instantiates them: a call with `for_each` over a literal map (or a local
   * holding one) is one call per key, its `each.key` and `each.value.<path>` replaced by the entry's
   * values, so that checks see each instance's settings. A call whose `for_each` cannot be read stays one
   * call, its `each.*` references unresolved.
   */
  moduleCalls(dir?: string): TfModuleCall[] {
    return this.moduleBlocks(dir).flatMap((call) => {
      const entries = this.forEachEntries(call);
      if (!entries) return [call];
      return entries.map(([key, value]) => ({ ...call, key, address: `module.${call.name}["${key}"]`, body: substituteEach(call.body, key, value) as HclBody }));
    });
  }

  /** Module call blocks as written (a `for_each` call once). */
  moduleBlocks(dir?: string): TfModuleCall[] {
    return this.namedBlocks('module', dir).map((m) => {
      const source = typeof m.body['source'] === 'string' ? m.body['source'] : '';
      const local = source.startsWith('./') || source.startsWith('../');
      return { ...m, address: `module.${m.name}`, source, ...(local ? { targetDir: posix.normalize(posix.join(m.dir, source)) } : {}) };
    });
  }

  private forEachEntries(call: TfModuleCall): Array<[string, unknown]> | undefined {
    const forEach = call.body['for_each'];
    if (forEach === undefined) return undefined;
    const local = localOf(forEach);
    const map = local === undefined ? forEach : this.locals(call.dir)[local];
    return isBody(map) ? Object.entries(map) : undefined;
  }

  variables(dir?: string): TfNamedBlock[] {
    return this.namedBlocks('variable', dir);
  }

  outputs(dir?: string): TfNamedBlock[] {
    return this.namedBlocks('output', dir);
  }

  /** The `locals` of a directory, merged. */
  locals(dir: string): Record<string, unknown> {
    const merged: Record<string, unknown> = {};
    for (const f of this.filesIn(dir)) {
      for (const l of asBodyList(f.json['locals'])) Object.assign(merged, l);
    }
    return merged;
  }

  /** Every top-level block of a directory with its kind (resource, module, output, locals...), for scans. */
  topLevel(dir?: string): Array<Located & { readonly kind: string; readonly body: unknown }> {
    return this.filesIn(dir).flatMap((f) => Object.entries(f.json).map(([kind, body]) => ({ file: f.file, dir: f.dir, kind, body })));
  }

  private filesIn(dir?: string): readonly TfFile[] {
    return dir === undefined ? this.files : this.files.filter((f) => f.dir === dir);
  }

  private typedBlocks(kind: 'resource' | 'data', type?: string, dir?: string): TfResource[] {
    const found: TfResource[] = [];
    for (const f of this.filesIn(dir)) {
      const byType = f.json[kind];
      if (!isBody(byType)) continue;
      for (const [t, byName] of Object.entries(byType)) {
        if ((type !== undefined && t !== type) || !isBody(byName)) continue;
        for (const [name, bodies] of Object.entries(byName)) {
          for (const body of asBodyList(bodies)) found.push({ file: f.file, dir: f.dir, type: t, name, address: `${t}.${name}`, body });
        }
      }
    }
    return found;
  }

  private namedBlocks(kind: string, dir?: string): TfNamedBlock[] {
    const found: TfNamedBlock[] = [];
    for (const f of this.filesIn(dir)) {
      const byName = f.json[kind];
      if (!isBody(byName)) continue;
      for (const [name, bodies] of Object.entries(byName)) {
        for (const body of asBodyList(bodies)) found.push({ file: f.file, dir: f.dir, name, body });
      }
    }
    return found;
  }
}

function asBodyList(value: unknown): HclBody[] {
  return Array.isArray(value) ? value.filter(isBody) : isBody(value) ? [value] : [];
}

function tfFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === '.terraform' ? [] : tfFiles(path);
    return entry.isFile() && entry.name.endsWith('.tf') ? [path] : [];
  });
}

/**
 * A module call's value with `each.key` and `each.value.<path>` of one `for_each` entry put in: a value
 * that is exactly `${each.value.a.b}` becomes the entry's value there (a literal, or an expression such
 * as `${var.x.b}` when the path goes through one); `${each.key}` in templates becomes the key, and a bare
 * `each.key` inside an expression its quoted string.
 */
function substituteEach(value: unknown, key: string, entry: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => substituteEach(v, key, entry));
  if (isBody(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteEach(v, key, entry)]));
  if (typeof value !== 'string') return value;
  const whole = /^\$\{\s*each\.value((?:\.[A-Za-z_][\w-]*)*)\s*\}$/.exec(value);
  if (whole) {
    const found = valueAtPath(entry, whole[1].split('.').filter(Boolean));
    return found === NOT_FOUND ? value : found;
  }
  return value.replaceAll('${each.key}', key).replace(/(?<![\w.])each\.key\b/g, JSON.stringify(key));
}

const NOT_FOUND = Symbol('not found');

function valueAtPath(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const [i, step] of path.entries()) {
    // An expression on the way (`${var.services.x}`): the rest of the path goes into it.
    if (typeof current === 'string' && /^\$\{[\s\S]*\}$/.test(current)) return `${current.slice(0, -1).trimEnd()}.${path.slice(i).join('.')}}`;
    if (!isBody(current) || !(step in current)) return NOT_FOUND;
    current = current[step];
  }
  return current;
}
