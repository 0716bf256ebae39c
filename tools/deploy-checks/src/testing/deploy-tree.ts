import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { TerraformConfig } from '../hcl/terraform-config';

/** deploy/terraform of this repository. */
export const DEPLOY_TERRAFORM = join(__dirname, '../../../../deploy/terraform');

/** How long parsing the whole tree may take (the WebAssembly parser starts once per test file). */
export const LOAD_TIMEOUT_MS = 60_000;

export function readTree(): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory() && e.name !== '.terraform') walk(path);
      else if (e.isFile() && e.name.endsWith('.tf')) files[relative(DEPLOY_TERRAFORM, path).split(sep).join('/')] = readFileSync(path, 'utf8');
    }
  };
  walk(DEPLOY_TERRAFORM);
  return files;
}

/**
 * A copy of deploy/terraform, in memory, with one file edited: `pattern` must match (else the test
 * would prove nothing), and is replaced by `replacement`.
 */
export async function loadEdited(file: string, pattern: RegExp, replacement: string): Promise<TerraformConfig> {
  const tree = readTree();
  const text = tree[file];
  if (text === undefined) throw new Error(`no ${file} in deploy/terraform`);
  if (!pattern.test(text)) throw new Error(`${pattern} does not match ${file}: the edit would change nothing`);
  return TerraformConfig.fromSources({ ...tree, [file]: text.replace(pattern, replacement) });
}
