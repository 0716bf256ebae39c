import { expressionText, isBody, localOf, resourceRefs, type HclBody } from '../hcl/hcl-values';
import type { TerraformConfig, TfResource } from '../hcl/terraform-config';

/** The member(s) of an IAM member or binding resource. */
export function membersOf(iam: TfResource): unknown[] {
  const members = iam.body['members'];
  return Array.isArray(members) ? members : [iam.body['member']];
}

/**
 * Whether an IAM resource is made once per instance of `target`: both single, both the same `for_each`
 * (or `count`), or the IAM resource iterating over `target` itself.
 */
export function coversEveryInstance(iam: TfResource, target: TfResource): boolean {
  for (const meta of ['for_each', 'count'] as const) {
    const wanted = target.body[meta];
    if (wanted === undefined) continue;
    const got = iam.body[meta];
    if (got === undefined) return false;
    return expressionText(got) === expressionText(wanted) || resourceRefs(got, target.type).includes(target.name);
  }
  return iam.body['for_each'] === undefined && iam.body['count'] === undefined;
}

/** A member value resolved through one `local.x` of its directory, when it is one. */
export function resolveLocal(config: TerraformConfig, dir: string, value: unknown): unknown {
  const local = localOf(value);
  return local === undefined ? value : config.locals(dir)[local];
}

/** The IAM members or bindings of `types` in `dir` granting `role` on a resource that `attribute` refers to. */
export function grantsOn(config: TerraformConfig, dir: string, types: readonly string[], attribute: string, target: TfResource, role: string): TfResource[] {
  return types
    .flatMap((t) => config.resources(t, dir))
    .filter((iam) => iam.body['role'] === role && resourceRefs(iam.body[attribute], target.type).includes(target.name));
}

export function asBody(value: unknown): HclBody {
  return isBody(value) ? value : {};
}
