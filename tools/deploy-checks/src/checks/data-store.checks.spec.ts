import { TerraformConfig } from '../hcl/terraform-config';
import { DEPLOY_TERRAFORM, LOAD_TIMEOUT_MS, loadEdited } from '../testing/deploy-tree';
import { checkBigQuery, checkCloudSql, checkRedis } from './data-store.checks';

const SQL = `
resource "google_sql_database_instance" "primary" {
  name = "src"
  settings {
    availability_type = "REGIONAL"
    ip_configuration {
      ipv4_enabled    = false
      private_network = var.network
    }
    backup_configuration {
      enabled                        = true
      point_in_time_recovery_enabled = true
      transaction_log_retention_days = 7
    }
    database_flags {
      name  = "cloudsql.logical_decoding"
      value = "on"
    }
  }
}
resource "google_sql_database_instance" "replica" {
  name                 = "src-replica"
  master_instance_name = google_sql_database_instance.primary.name
}
`;

const REDIS = `
resource "google_redis_instance" "online" {
  tier         = "STANDARD_HA"
  auth_enabled = true
  persistence_config {
    persistence_mode    = "RDB"
    rdb_snapshot_period = "ONE_HOUR"
  }
}
`;

const BIGQUERY = `
resource "google_bigquery_dataset" "d" {
  dataset_id                      = "d"
  default_partition_expiration_ms = 86400000
}
resource "google_bigquery_table" "t" {
  clustering = ["entity_id"]
  time_partitioning {
    type          = "DAY"
    field         = "event_timestamp"
    expiration_ms = 86400000
  }
}
`;

const load = (hcl: string) => TerraformConfig.fromSources({ 'main.tf': hcl });

describe('data stores', () => {
  it('pass on deploy/terraform', async () => {
    const config = await TerraformConfig.load(DEPLOY_TERRAFORM);
    expect(config.resources('google_sql_database_instance')).toHaveLength(2);
    expect(config.resources('google_redis_instance')).toHaveLength(1);
    expect(config.resources('google_bigquery_table')).toHaveLength(1);
    for (const check of [checkCloudSql, checkRedis, checkBigQuery]) expect(check(config)).toEqual([]);
  }, LOAD_TIMEOUT_MS);

  it('pass on well-formed fixtures', async () => {
    expect(checkCloudSql(await load(SQL))).toEqual([]);
    expect(checkRedis(await load(REDIS))).toEqual([]);
    expect(checkBigQuery(await load(BIGQUERY))).toEqual([]);
  });

  describe('Cloud SQL', () => {
    it('flags a primary without logical decoding', async () => {
      expect(checkCloudSql(await load(SQL.replace('"on"', '"off"')))).toEqual(['google_sql_database_instance.primary (main.tf): database flag cloudsql.logical_decoding is not "on"']);
    });

    it('flags a primary without point-in-time recovery', async () => {
      expect(checkCloudSql(await load(SQL.replace('point_in_time_recovery_enabled = true', 'point_in_time_recovery_enabled = false')))).toEqual([
        'google_sql_database_instance.primary (main.tf): point-in-time recovery is not enabled',
      ]);
    });

    it('flags a primary with a public IP, or zonal', async () => {
      const problems = checkCloudSql(await load(SQL.replace('ipv4_enabled    = false', 'ipv4_enabled    = true').replace('"REGIONAL"', '"ZONAL"')));
      expect(problems).toEqual([expect.stringContaining('availability_type is not REGIONAL'), expect.stringContaining('not private-IP only')]);
    });

    it('flags a primary without a read replica', async () => {
      expect(checkCloudSql(await load(SQL.replace(/resource "google_sql_database_instance" "replica" \{[\s\S]*?\n\}\n/, '')))).toEqual(['google_sql_database_instance.primary (main.tf): no read replica']);
    });

    it('catches deploy/terraform turning logical decoding off', async () => {
      const config = await loadEdited('modules/cloudsql/main.tf', /name {2}= "cloudsql\.logical_decoding"/, 'name  = "cloudsql.enable_pgaudit"');
      expect(checkCloudSql(config)).toEqual(['google_sql_database_instance.primary (modules/cloudsql/main.tf): database flag cloudsql.logical_decoding is not "on"']);
    }, LOAD_TIMEOUT_MS);
  });

  describe('Memorystore', () => {
    it('flags a BASIC instance without persistence', async () => {
      const hcl = REDIS.replace('"STANDARD_HA"', '"BASIC"').replace(/ {2}persistence_config \{[\s\S]*?\n {2}\}\n/, '');
      expect(checkRedis(await load(hcl))).toEqual([
        'google_redis_instance.online (main.tf): tier is not STANDARD_HA',
        'google_redis_instance.online (main.tf): no RDB persistence (persistence_config with persistence_mode "RDB" and an rdb_snapshot_period)',
      ]);
    });

    it('catches deploy/terraform disabling persistence', async () => {
      const config = await loadEdited('modules/redis/main.tf', /persistence_mode {4}= "RDB"/, 'persistence_mode    = "DISABLED"');
      expect(checkRedis(config)).toEqual([expect.stringContaining('google_redis_instance.this (modules/redis/main.tf): no RDB persistence')]);
    }, LOAD_TIMEOUT_MS);
  });

  describe('BigQuery', () => {
    it('flags a table partitioned by month, never expiring, not clustered', async () => {
      const hcl = BIGQUERY.replace('"DAY"', '"MONTH"').replace(/ {4}expiration_ms = 86400000\n/, '').replace(/ {2}clustering = \["entity_id"\]\n/, '');
      expect(checkBigQuery(await load(hcl))).toEqual([
        'google_bigquery_table.t (main.tf): not partitioned by DAY (time_partitioning.type)',
        'google_bigquery_table.t (main.tf): partitions never expire (time_partitioning.expiration_ms)',
        'google_bigquery_table.t (main.tf): not clustered',
      ]);
    });

    it('flags a dataset whose own tables would never expire', async () => {
      expect(checkBigQuery(await load(BIGQUERY.replace(/ {2}default_partition_expiration_ms = 86400000\n/, '')))).toEqual([expect.stringContaining('google_bigquery_dataset.d (main.tf): no default_partition_expiration_ms')]);
    });

    it('catches deploy/terraform dropping the partition expiration', async () => {
      const config = await loadEdited('modules/bigquery/main.tf', / {4}expiration_ms = each\.value\.partition_expiration_days \* 86400000\n/, '');
      expect(checkBigQuery(config)).toEqual(['google_bigquery_table.this (modules/bigquery/main.tf): partitions never expire (time_partitioning.expiration_ms)']);
    }, LOAD_TIMEOUT_MS);
  });
});
