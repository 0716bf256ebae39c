import { allStrings } from '../hcl/hcl-values';
import { where, type DeployCheck } from './check';

/** Arguments every module call may have besides the module's variables. */
const META_ARGUMENTS = new Set(['source', 'version', 'providers', 'depends_on', 'count', 'for_each']);

/**
 * What `terraform validate` would catch in the wiring, since it cannot run here without the provider:
 * module calls pass only variables the module declares and every variable it requires, and every
 * var./local./module./resource reference names something declared in its directory.
 */
export const checkModuleCalls: DeployCheck = (config) => {
  const problems: string[] = [];
  const dirs = new Set(config.dirs);
  // As written: a for_each call's instances pass the same arguments.
  for (const call of config.moduleBlocks()) {
    const label = where(call, call.address);
    if (call.targetDir === undefined) continue; // a registry module: not ours to check
    if (!dirs.has(call.targetDir)) {
      problems.push(`${label}: source ${call.source} has no .tf files`);
      continue;
    }
    const variables = config.variables(call.targetDir);
    const declared = new Set(variables.map((v) => v.name));
    for (const arg of Object.keys(call.body)) {
      if (!META_ARGUMENTS.has(arg) && !declared.has(arg)) problems.push(`${label}: passes ${arg}, which ${call.targetDir} does not declare`);
    }
    for (const v of variables) {
      if (!('default' in v.body) && !(v.name in call.body)) problems.push(`${label}: does not pass ${v.name}, which ${call.targetDir} requires`);
    }
  }
  return problems;
};

export const checkReferences: DeployCheck = (config) => {
  const problems: string[] = [];
  for (const dir of config.dirs) {
    const variables = new Set(config.variables(dir).map((v) => v.name));
    const locals = new Set(Object.keys(config.locals(dir)));
    const modules = new Map(config.moduleBlocks(dir).map((m) => [m.name, m.targetDir]));
    const resources = new Set(config.resources(undefined, dir).map((r) => r.address));
    const dataSources = new Set(config.dataSources(undefined, dir).map((r) => `data.${r.address}`));
    for (const block of config.topLevel(dir).filter((b) => b.kind !== 'variable')) {
      for (const text of allStrings(block.body).filter((s) => s.includes('${'))) {
        for (const [, name] of text.matchAll(/(?<![\w.])var\.([A-Za-z_][\w-]*)/g)) {
          if (!variables.has(name)) problems.push(`${block.file}: var.${name} is not declared in ${dir}`);
        }
        for (const [, name] of text.matchAll(/(?<![\w.])local\.([A-Za-z_][\w-]*)/g)) {
          if (!locals.has(name)) problems.push(`${block.file}: local.${name} is not defined in ${dir}`);
        }
        // module.x.output, or module.x["key"].output for an instance of a for_each call.
        for (const [, name, output] of text.matchAll(/(?<![\w.])module\.([A-Za-z_][\w-]*)(?:\[[^\]]*\])?(?:\.([A-Za-z_][\w-]*))?/g)) {
          if (!modules.has(name)) problems.push(`${block.file}: module.${name} is not called in ${dir}`);
          else if (output !== undefined) {
            const target = modules.get(name);
            if (target !== undefined && !config.outputs(target).some((o) => o.name === output)) problems.push(`${block.file}: module.${name} has no output ${output}`);
          }
        }
        for (const [address] of text.matchAll(/(?<![\w.])(?:google|random)_[a-z0-9_]+\.[A-Za-z_][\w-]*/g)) {
          if (!resources.has(address)) problems.push(`${block.file}: ${address} is not declared in ${dir}`);
        }
        for (const [address] of text.matchAll(/(?<![\w.])data\.[a-z][a-z0-9_]*\.[A-Za-z_][\w-]*/g)) {
          if (!dataSources.has(address)) problems.push(`${block.file}: ${address} is not declared in ${dir}`);
        }
      }
    }
  }
  return [...new Set(problems)];
};
