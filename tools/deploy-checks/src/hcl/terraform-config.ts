import { readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';
import { parse } from '@cdktf/hcl2json';
import { isBody, type HclBody } from './hcl-values';

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

  moduleCalls(dir?: string): TfModuleCall[] {
    return this.namedBlocks('module', dir).map((m) => {
      const source = typeof m.body['source'] === 'string' ? m.body['source'] : '';
      const local = source.startsWith('./') || source.startsWith('../');
      return { ...m, source, ...(local ? { targetDir: posix.normalize(posix.join(m.dir, source)) } : {}) };
    });
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
