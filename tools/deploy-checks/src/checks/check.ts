import type { TerraformConfig } from '../hcl/terraform-config';

/** One invariant of the deployment: returns a line per violation, each naming the block and its file. */
export type DeployCheck = (config: TerraformConfig) => string[];

/** `module.x (file)` / `type.name (file)`: how a problem names what it is about. */
export function where(block: { readonly file: string }, label: string): string {
  return `${label} (${block.file})`;
}
