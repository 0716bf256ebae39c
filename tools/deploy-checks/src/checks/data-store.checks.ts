import { block, blocks, isExpression, resourceRefs, type HclBody } from '../hcl/hcl-values';
import { where, type DeployCheck } from './check';

const SQL = 'google_sql_database_instance';

/**
 * Cloud SQL: the primary decodes its WAL logically (the ingestor's pgoutput slot), keeps WAL for
 * point-in-time recovery, backs up daily, is regional (HA) and reachable on a private IP only; and it has
 * a read replica.
 */
export const checkCloudSql: DeployCheck = (config) => {
  const problems: string[] = [];
  for (const dir of config.dirs) {
    const instances = config.resources(SQL, dir);
    const primaries = instances.filter((i) => i.body['master_instance_name'] === undefined);
    for (const p of primaries) {
      const label = where(p, p.address);
      const settings = block(p.body, 'settings');
      const flags = blocks(settings, 'database_flags').map((f) => f.body);
      if (!flags.some((f) => f['name'] === 'cloudsql.logical_decoding' && f['value'] === 'on')) problems.push(`${label}: database flag cloudsql.logical_decoding is not "on"`);
      const backup = block(settings, 'backup_configuration');
      if (backup?.['enabled'] !== true) problems.push(`${label}: backups are not enabled`);
      if (backup?.['point_in_time_recovery_enabled'] !== true) problems.push(`${label}: point-in-time recovery is not enabled`);
      if (backup?.['transaction_log_retention_days'] === undefined) problems.push(`${label}: no transaction_log_retention_days (WAL kept for point-in-time recovery)`);
      if (settings?.['availability_type'] !== 'REGIONAL') problems.push(`${label}: availability_type is not REGIONAL`);
      const ip = block(settings, 'ip_configuration');
      if (ip?.['ipv4_enabled'] !== false || !ip['private_network']) problems.push(`${label}: not private-IP only (ipv4_enabled = false with a private_network)`);
      const replicas = instances.filter((i) => resourceRefs(i.body['master_instance_name'], SQL).includes(p.name));
      if (replicas.length === 0) problems.push(`${label}: no read replica`);
      for (const r of replicas) if (r.body['count'] === 0) problems.push(`${where(r, r.address)}: count = 0 leaves no read replica`);
    }
  }
  return problems;
};

/** Memorystore: STANDARD_HA (a replica in another zone, automatic failover), RDB persistence, AUTH. */
export const checkRedis: DeployCheck = (config) =>
  config.resources('google_redis_instance').flatMap((r) => {
    const label = where(r, r.address);
    const persistence = block(r.body, 'persistence_config');
    return [
      ...(r.body['tier'] === 'STANDARD_HA' ? [] : [`${label}: tier is not STANDARD_HA`]),
      ...(persistence?.['persistence_mode'] === 'RDB' && persistence['rdb_snapshot_period'] ? [] : [`${label}: no RDB persistence (persistence_config with persistence_mode "RDB" and an rdb_snapshot_period)`]),
      ...(r.body['auth_enabled'] === true ? [] : [`${label}: AUTH is not enabled`]),
    ];
  });

/** BigQuery: every table partitioned by day with an expiration, and clustered; datasets expire partitions by default. */
export const checkBigQuery: DeployCheck = (config) => [
  ...config.resources('google_bigquery_table').flatMap((t) => {
    const label = where(t, t.address);
    const partitioning = block(t.body, 'time_partitioning');
    return [
      ...(partitioning?.['type'] === 'DAY' ? [] : [`${label}: not partitioned by DAY (time_partitioning.type)`]),
      ...(partitioning?.['expiration_ms'] !== undefined && partitioning['expiration_ms'] !== null ? [] : [`${label}: partitions never expire (time_partitioning.expiration_ms)`]),
      ...(clustered(t.body) ? [] : [`${label}: not clustered`]),
    ];
  }),
  ...config
    .resources('google_bigquery_dataset')
    .filter((d) => d.body['default_partition_expiration_ms'] === undefined)
    .map((d) => `${where(d, d.address)}: no default_partition_expiration_ms (tables the services create would keep partitions forever)`),
];

function clustered(table: HclBody): boolean {
  const clustering = table['clustering'];
  return (Array.isArray(clustering) && clustering.length > 0) || isExpression(clustering);
}
