import { block, blocks, isBody, literalString, variableOf, type HclBody } from '../hcl/hcl-values';
import type { TerraformConfig, TfModuleCall, TfResource } from '../hcl/terraform-config';
import { where, type DeployCheck } from './check';
import { isSecretName, looksLikeCredentials, REQUIRED_SECRET_ENV } from './secret-values';

const SERVICE = 'google_cloud_run_v2_service';
const INGESTOR = /cdc[-_]ingestor/;

/** How a module directory's Cloud Run service takes its settings from the module's variables. */
interface ServiceModule {
  readonly service: TfResource;
  /** Variables whose map becomes plain `env { name, value }` blocks. */
  readonly plainEnvVars: string[];
  /** Variables whose map becomes `env { value_source { secret_key_ref } }` blocks. */
  readonly secretEnvVars: string[];
  readonly serviceAccountVar?: string;
  readonly minInstancesVar?: string;
  readonly maxInstancesVar?: string;
  /** cpu_idle as written: `${!var.x}`, a literal, or absent. */
  readonly cpuIdle: unknown;
}

/** Every Cloud Run service has a startup probe on /health/ready (or gRPC health) and a liveness probe on /health/live. */
export const checkProbes: DeployCheck = (config) =>
  config.resources(SERVICE).flatMap((s) =>
    containersOf(s).flatMap((c, i) => {
      const label = `${where(s, s.address)} container ${i}`;
      return [...probeProblems(label, 'startup_probe', block(c, 'startup_probe'), '/health/ready'), ...probeProblems(label, 'liveness_probe', block(c, 'liveness_probe'), '/health/live')];
    }),
  );

function probeProblems(label: string, kind: string, probe: HclBody | undefined, path: string): string[] {
  if (!probe) return [`${label}: no ${kind}`];
  const http = blocks(probe, 'http_get');
  if (http.length === 0 && blocks(probe, 'grpc').length === 0) return [`${label}: ${kind} has neither http_get nor grpc`];
  return http.filter((h) => h.body['path'] !== path).map((h) => `${label}: ${kind} probes ${String(h.body['path'])}, not ${path}`);
}

/**
 * No secret is a plain environment value: not in a literal `env` block, not in what a module call passes
 * to a module's plain env map (names like *_PASSWORD, *_TOKEN, DATABASE_URL, REDIS_URL, or URLs holding
 * credentials); and every service gets DATABASE_URL and REDIS_URL through secret_key_ref.
 */
export const checkSecretsInEnv: DeployCheck = (config) => {
  const problems: string[] = [];
  for (const s of config.resources(SERVICE)) {
    for (const c of containersOf(s)) {
      for (const env of blocks(c, 'env')) {
        const label = where(s, s.address);
        const source = block(env.body, 'value_source');
        if (source && !block(source, 'secret_key_ref')) problems.push(`${label}: env value_source without secret_key_ref`);
        if (env.body['value'] === undefined) continue;
        if (env.dynamicForEach === undefined) problems.push(...plainEnvProblems(label, { [String(env.body['name'])]: env.body['value'] }));
        else if (isBody(env.dynamicForEach)) problems.push(...plainEnvProblems(label, env.dynamicForEach));
        else if (!variableOf(env.dynamicForEach)) problems.push(`${label}: plain env values come from ${String(env.dynamicForEach)}, which cannot be checked (use a variable or a literal map)`);
      }
    }
  }
  for (const { call, module } of serviceModuleCalls(config)) {
    const label = where(call, call.address);
    for (const v of module.plainEnvVars) {
      const env = call.body[v];
      if (env === undefined) continue;
      if (!isBody(env)) problems.push(`${label}: ${v} must be a literal map so that it can be checked for secrets`);
      else problems.push(...plainEnvProblems(`${label} ${v}`, env));
    }
    const secretNames = module.secretEnvVars.flatMap((v) => (isBody(call.body[v]) ? Object.keys(call.body[v] as HclBody) : []));
    for (const name of REQUIRED_SECRET_ENV) {
      if (!secretNames.includes(name)) problems.push(`${label}: ${name} is not taken from Secret Manager (${module.secretEnvVars.join(', ') || 'the module has no secret env'})`);
    }
  }
  return problems;
};

function plainEnvProblems(label: string, env: HclBody): string[] {
  return Object.entries(env).flatMap(([name, value]) => {
    if (isSecretName(name)) return [`${label}: ${name} is a plain environment value; it must come from Secret Manager (secret_key_ref)`];
    if (looksLikeCredentials(value)) return [`${label}: ${name} holds credentials in a plain environment value`];
    return [];
  });
}

/** Every Cloud Run service runs as a service account of its own: set, not the default one, never shared. */
export const checkServiceAccounts: DeployCheck = (config) => {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  const claim = (dir: string, account: unknown, label: string) => {
    const key = `${dir}:${typeof account === 'string' ? account : JSON.stringify(account)}`;
    const other = seen.get(key);
    if (other) problems.push(`${label}: shares its service account ${String(account)} with ${other}`);
    else seen.set(key, label);
  };
  for (const s of config.resources(SERVICE)) {
    const account = block(s.body, 'template')?.['service_account'];
    const label = where(s, s.address);
    if (account === undefined || account === '') problems.push(`${label}: no template.service_account (it would run as the default compute service account)`);
    else if (literalString(account)?.includes('-compute@developer.gserviceaccount.com')) problems.push(`${label}: runs as the default compute service account`);
    else if (!variableOf(account)) claim(s.dir, account, label);
  }
  for (const { call, module } of serviceModuleCalls(config)) {
    const label = where(call, call.address);
    if (!module.serviceAccountVar) continue; // a literal in the module: checked above
    const account = call.body[module.serviceAccountVar];
    if (account === undefined || account === '') problems.push(`${label}: no ${module.serviceAccountVar}`);
    else if (literalString(account)?.includes('-compute@developer.gserviceaccount.com')) problems.push(`${label}: runs as the default compute service account`);
    else claim(call.dir, account, label);
  }
  return problems;
};

/**
 * The cdc-ingestor runs as exactly one instance (one replication slot, one consumer: min = max = 1) with
 * CPU always allocated (it streams WAL between requests). Found by name: a resource or module call
 * named cdc-ingestor / cdc_ingestor (or a `for_each` instance keyed so), or whose `name` says so.
 */
export const checkIngestorPinned: DeployCheck = (config) => {
  const problems: string[] = [];
  for (const s of config.resources(SERVICE).filter((r) => isIngestor(r.name, r.body))) {
    const template = block(s.body, 'template');
    const scaling = block(template, 'scaling');
    const label = where(s, s.address);
    if (!variableOf(scaling?.['min_instance_count']) && scaling?.['min_instance_count'] !== 1) problems.push(`${label}: min_instance_count must be 1`);
    if (!variableOf(scaling?.['max_instance_count']) && scaling?.['max_instance_count'] !== 1) problems.push(`${label}: max_instance_count must be 1`);
    for (const c of containersOf(s)) {
      const idle = block(c, 'resources')?.['cpu_idle'];
      if (!negatedVariable(idle) && idle !== false) problems.push(`${label}: cpu_idle must be false (CPU always allocated)`);
    }
  }
  for (const { call, module } of serviceModuleCalls(config).filter(({ call }) => isIngestor(call.address, call.body))) {
    const label = where(call, call.address);
    for (const v of [module.minInstancesVar, module.maxInstancesVar]) {
      if (v && call.body[v] !== 1) problems.push(`${label}: ${v} must be 1, is ${JSON.stringify(call.body[v] ?? 'the module default')}`);
    }
    const cpuVar = negatedVariable(module.cpuIdle);
    if (cpuVar && call.body[cpuVar] !== true) problems.push(`${label}: ${cpuVar} must be true (CPU always allocated)`);
  }
  return problems;
};

function isIngestor(name: string, body: HclBody): boolean {
  return INGESTOR.test(name) || INGESTOR.test(String(body['name'] ?? ''));
}

function negatedVariable(value: unknown): string | undefined {
  return typeof value === 'string' ? /^\$\{!var\.([A-Za-z_][\w-]*)\}$/.exec(value)?.[1] : undefined;
}

function containersOf(service: TfResource): HclBody[] {
  return blocks(block(service.body, 'template'), 'containers').map((c) => c.body);
}

/** The module calls of directories holding a Cloud Run service, with how that module maps its variables. */
export function serviceModuleCalls(config: TerraformConfig): Array<{ call: TfModuleCall; module: ServiceModule }> {
  const modules = new Map<string, ServiceModule>();
  for (const s of config.resources(SERVICE)) {
    const template = block(s.body, 'template');
    const scaling = block(template, 'scaling');
    const envs = containersOf(s).flatMap((c) => blocks(c, 'env'));
    const fromVar = (secret: boolean) => [
      ...new Set(envs.filter((e) => Boolean(block(e.body, 'value_source')) === secret).flatMap((e) => variableOf(e.dynamicForEach) ?? [])),
    ];
    modules.set(s.dir, {
      service: s,
      plainEnvVars: fromVar(false),
      secretEnvVars: fromVar(true),
      serviceAccountVar: variableOf(template?.['service_account']),
      minInstancesVar: variableOf(scaling?.['min_instance_count']),
      maxInstancesVar: variableOf(scaling?.['max_instance_count']),
      cpuIdle: containersOf(s).map((c) => block(c, 'resources')?.['cpu_idle'])[0],
    });
  }
  return config.moduleCalls().flatMap((call) => {
    const module = call.targetDir === undefined ? undefined : modules.get(call.targetDir);
    return module ? [{ call, module }] : [];
  });
}
