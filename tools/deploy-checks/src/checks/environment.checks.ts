import { SERVICE_NODE_OPTIONS } from '@bnpl/service-launchers';
import { allStrings, isBody, type HclBody } from '../hcl/hcl-values';
import type { TerraformConfig, TfModuleCall } from '../hcl/terraform-config';
import { where, type DeployCheck } from './check';

/**
 * Who may publish each topic: the services whose code publishes it (rest-gateway submits jobs and
 * reports their progress, the batch-processor reports progress and queues further shards of running jobs,
 * the cdc-ingestor announces feature updates and publishes the history it recomputes). Decision records
 * come from outside (var.decision_record_publishers), never from a service.
 */
const PUBLISHERS: Readonly<Record<string, readonly string[]>> = {
  'bnpl.jobs.requests': ['batch-processor', 'rest-gateway'],
  'bnpl.jobs.progress': ['batch-processor', 'rest-gateway'],
  'bnpl.features.updates': ['cdc-ingestor'],
  'bnpl.features.history': ['cdc-ingestor'],
  'bnpl.decisions.records': [],
};
/** The only writer of the offline store. */
const BIGQUERY_WRITERS = ['batch-processor'];
/** Decision records are kept at least this long. */
const DECISION_RECORDS_MONTHS = 25;

/**
 * The wiring of an environment (a directory under environments/) against what the services do: topic
 * publishers, the BigQuery writer, grpc-serving's ports and probes, the decision records' retention.
 */
export const checkEnvironments: DeployCheck = (config) => config.dirs.filter((d) => d.startsWith('environments/')).flatMap((dir) => environmentProblems(config, dir));

function environmentProblems(config: TerraformConfig, dir: string): string[] {
  const problems: string[] = [];
  const call = (target: string) => config.moduleCalls(dir).filter((c) => c.targetDir === `modules/${target}`);

  for (const pubsub of call('pubsub')) {
    const topics = isBody(pubsub.body['topics']) ? pubsub.body['topics'] : {};
    for (const [topic, allowed] of Object.entries(PUBLISHERS)) {
      const spec = topics[topic];
      if (!isBody(spec)) {
        problems.push(`${where(pubsub, pubsub.address)}: no topic ${topic}`);
        continue;
      }
      const publishers = spec['publishers'];
      const services = Array.isArray(publishers) ? publishers.map(String).sort() : [];
      const external = typeof publishers === 'string' && /var\.decision_record_publishers/.test(publishers);
      if (allowed.length === 0 ? !external && services.length > 0 : JSON.stringify(services) !== JSON.stringify(allowed)) {
        problems.push(`${where(pubsub, pubsub.address)}: ${topic} is published by ${JSON.stringify(publishers ?? [])}, expected ${allowed.length ? JSON.stringify(allowed) : 'var.decision_record_publishers only'}`);
      }
    }
  }

  for (const bigquery of call('bigquery')) {
    const writers = bigquery.body['writers'];
    if (JSON.stringify(writers) !== JSON.stringify(BIGQUERY_WRITERS)) problems.push(`${where(bigquery, bigquery.address)}: writers are ${JSON.stringify(writers)}, expected ${JSON.stringify(BIGQUERY_WRITERS)}`);
    const retention = config.variables(dir).find((v) => v.name === 'decision_records_retention_months');
    const tables = allStrings(bigquery.body['tables']).join(' ');
    if (!retention || Number(retention.body['default']) < DECISION_RECORDS_MONTHS || !tables.includes('var.decision_records_retention_months')) {
      problems.push(`${where(bigquery, bigquery.address)}: decision records must expire after var.decision_records_retention_months, by default at least ${DECISION_RECORDS_MONTHS}`);
    }
  }

  for (const grpc of call('cloud-run-service').filter((c) => /grpc[-_]serving/.test(c.address))) problems.push(...grpcServingProblems(grpc));
  for (const service of call('cloud-run-service')) problems.push(...nodeOptionsProblems(service));
  return problems;
}

/** NODE_OPTIONS of each service instance as the local stack and the benchmarks run it (SERVICE_NODE_OPTIONS), or none. */
function nodeOptionsProblems(call: TfModuleCall): string[] {
  if (call.key === undefined) return [];
  const env: HclBody = isBody(call.body['env']) ? call.body['env'] : {};
  const expected = SERVICE_NODE_OPTIONS[call.key]?.join(' ');
  const actual = env['NODE_OPTIONS'] === undefined ? undefined : String(env['NODE_OPTIONS']);
  if (actual === expected) return [];
  return [`${where(call, call.address)}: NODE_OPTIONS is ${actual === undefined ? 'not set' : JSON.stringify(actual)}, expected ${expected === undefined ? 'none' : JSON.stringify(expected)} (as the services are measured)`];
}

/** gRPC end to end over h2c, start-up probed by gRPC health, ports agreeing with the app's env. */
function grpcServingProblems(call: TfModuleCall): string[] {
  const label = where(call, call.address);
  const env: HclBody = isBody(call.body['env']) ? call.body['env'] : {};
  const problems: string[] = [];
  if (call.body['http2'] !== true) problems.push(`${label}: http2 must be true (gRPC needs end-to-end HTTP/2)`);
  if (call.body['grpc_startup_probe'] !== true) problems.push(`${label}: grpc_startup_probe must be true (an HTTP probe cannot reach an h2c port)`);
  if (String(call.body['container_port']) !== String(env['GRPC_PORT'])) problems.push(`${label}: container_port ${String(call.body['container_port'])} is not GRPC_PORT ${String(env['GRPC_PORT'])}`);
  if (String(call.body['health_port']) !== String(env['HTTP_PORT'])) problems.push(`${label}: health_port ${String(call.body['health_port'])} is not HTTP_PORT ${String(env['HTTP_PORT'])}`);
  return problems;
}
