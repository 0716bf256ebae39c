import { allStrings, variableOf } from '../hcl/hcl-values';
import { where, type DeployCheck } from './check';

const PRIMITIVE_ROLE = /\broles\/(owner|editor|viewer)\b/;
const PUBLIC_MEMBER = /^(allUsers|allAuthenticatedUsers)$/;
/** Roles on data that belong on the resource (topic, subscription, dataset, secret), never the whole project. */
const RESOURCE_LEVEL_ROLE = /^roles\/(pubsub\.|bigquery\.(data|admin)|secretmanager\.|cloudsql\.admin|redis\.admin|run\.)/;

/**
 * IAM stays narrow: no primitive role (owner, editor, viewer) anywhere, nothing public, no authoritative
 * project policy (it would wipe every grant made elsewhere), and data roles granted on the resource.
 */
export const checkIamRoles: DeployCheck = (config) => {
  const problems: string[] = [];
  for (const block of config.topLevel()) {
    for (const s of allStrings(block.body)) {
      if (PRIMITIVE_ROLE.test(s)) problems.push(`${block.file}: grants a primitive role (${PRIMITIVE_ROLE.exec(s)?.[0]})`);
      if (PUBLIC_MEMBER.test(s)) problems.push(`${block.file}: grants to ${s}`);
    }
  }
  for (const r of config.resources()) {
    if (r.type === 'google_project_iam_binding' || r.type === 'google_project_iam_policy') problems.push(`${where(r, r.address)}: authoritative project IAM; use google_project_iam_member`);
    if (r.type === 'google_project_iam_member' && typeof r.body['role'] === 'string' && RESOURCE_LEVEL_ROLE.test(r.body['role'])) {
      problems.push(`${where(r, r.address)}: ${r.body['role']} on the whole project; grant it on the resource`);
    }
  }
  return problems;
};

/**
 * Secret values stay sensitive: a variable feeding a secret version or a database password is marked
 * sensitive, and so is an output built from a generated password, an AUTH string or a sensitive variable.
 */
export const checkSensitiveValues: DeployCheck = (config) => {
  const problems: string[] = [];
  for (const dir of config.dirs) {
    const sensitiveVars = new Set(config.variables(dir).filter((v) => v.body['sensitive'] === true).map((v) => v.name));
    const feeding = [
      ...config.resources('google_secret_manager_secret_version', dir).map((r) => ({ r, value: r.body['secret_data'] })),
      ...config.resources('google_sql_user', dir).map((r) => ({ r, value: r.body['password'] })),
    ];
    for (const { r, value } of feeding) {
      for (const v of varsIn(value)) {
        if (!sensitiveVars.has(v)) problems.push(`${where(r, r.address)}: takes its secret from var.${v}, which is not sensitive`);
      }
    }
    for (const o of config.outputs(dir)) {
      const text = allStrings(o.body['value']).join(' ');
      const secret = /\brandom_password\.|\.auth_string\b/.test(text) || varsIn(o.body['value']).some((v) => sensitiveVars.has(v));
      if (secret && o.body['sensitive'] !== true) problems.push(`${where(o, `output.${o.name}`)}: holds a secret but is not sensitive`);
    }
  }
  return problems;
};

function varsIn(value: unknown): string[] {
  const direct = variableOf(value);
  if (direct) return [direct];
  return allStrings(value).flatMap((s) => [...s.matchAll(/\bvar\.([A-Za-z_][\w-]*)/g)].map((m) => m[1]));
}
