import { TerraformConfig } from '../hcl/terraform-config';
import { DEPLOY_TERRAFORM, LOAD_TIMEOUT_MS, loadEdited } from '../testing/deploy-tree';
import { checkIngestorPinned, checkProbes, checkSecretsInEnv, checkServiceAccounts } from './cloud-run.checks';

/** A Cloud Run module (env from maps) and an environment calling it for two services. */
const MODULE = `
resource "google_cloud_run_v2_service" "this" {
  name = var.name
  template {
    service_account = var.service_account_email
    scaling {
      min_instance_count = var.min_instances
      max_instance_count = var.max_instances
    }
    containers {
      image = "img"
      resources {
        cpu_idle = !var.cpu_always_allocated
      }
      dynamic "env" {
        for_each = var.env
        content {
          name  = env.key
          value = env.value
        }
      }
      dynamic "env" {
        for_each = var.secret_env
        content {
          name = env.key
          value_source {
            secret_key_ref {
              secret  = env.value
              version = "latest"
            }
          }
        }
      }
      startup_probe {
        http_get {
          path = "/health/ready"
        }
      }
      liveness_probe {
        http_get {
          path = "/health/live"
        }
      }
    }
  }
}
`;

const ENV = `
module "rest_gateway" {
  source                = "../mod"
  name                  = "rest-gateway"
  service_account_email = module.sa.emails["rest-gateway"]
  min_instances         = 1
  max_instances         = 10
  cpu_always_allocated  = true
  env = {
    ONLINE_STORE = "redis"
  }
  secret_env = {
    DATABASE_URL = "db-url"
    REDIS_URL    = "redis-url"
  }
}
module "cdc_ingestor" {
  source                = "../mod"
  name                  = "cdc-ingestor"
  service_account_email = module.sa.emails["cdc-ingestor"]
  min_instances         = 1
  max_instances         = 1
  cpu_always_allocated  = true
  env = {
    CDC_SLOT_NAME = "bnpl_features"
  }
  secret_env = {
    DATABASE_URL = "db-url"
    REDIS_URL    = "redis-url"
  }
}
`;

const fixture = (edit: { module?: (h: string) => string; env?: (h: string) => string } = {}) =>
  TerraformConfig.fromSources({ 'mod/main.tf': (edit.module ?? ((h) => h))(MODULE), 'env/main.tf': (edit.env ?? ((h) => h))(ENV) });

const ALL = [checkProbes, checkSecretsInEnv, checkServiceAccounts, checkIngestorPinned];

describe('Cloud Run services', () => {
  it('pass on deploy/terraform, which calls the service module for all four services', async () => {
    const config = await TerraformConfig.load(DEPLOY_TERRAFORM);
    const calls = config.moduleCalls().filter((c) => c.targetDir === 'modules/cloud-run-service');
    expect(calls.map((c) => c.address).sort()).toEqual(['module.services["batch-processor"]', 'module.services["cdc-ingestor"]', 'module.services["grpc-serving"]', 'module.services["rest-gateway"]']);
    for (const check of ALL) expect(check(config)).toEqual([]);
  }, LOAD_TIMEOUT_MS);

  it('pass on a well-formed fixture', async () => {
    const config = await fixture();
    for (const check of ALL) expect(check(config)).toEqual([]);
  });

  describe('probes', () => {
    it('flag a service without a liveness probe', async () => {
      const config = await fixture({ module: (h) => h.replace(/ {6}liveness_probe \{[\s\S]*?\n {6}\}\n/, '') });
      expect(checkProbes(config)).toEqual(['google_cloud_run_v2_service.this (mod/main.tf) container 0: no liveness_probe']);
    });

    it('flag a startup probe on another path than /health/ready', async () => {
      const config = await fixture({ module: (h) => h.replace('/health/ready', '/') });
      expect(checkProbes(config)).toEqual(['google_cloud_run_v2_service.this (mod/main.tf) container 0: startup_probe probes /, not /health/ready']);
    });

    it('catch deploy/terraform losing its startup probe', async () => {
      const config = await loadEdited('modules/cloud-run-service/main.tf', / {6}startup_probe \{[\s\S]*?\n {6}\}\n/, '');
      expect(checkProbes(config)).toEqual(['google_cloud_run_v2_service.this (modules/cloud-run-service/main.tf) container 0: no startup_probe']);
    }, LOAD_TIMEOUT_MS);
  });

  describe('secrets', () => {
    it('flag a password passed as a plain env value', async () => {
      const config = await fixture({ env: (h) => h.replace('ONLINE_STORE = "redis"', 'DB_PASSWORD = "hunter2"') });
      expect(checkSecretsInEnv(config)).toEqual([expect.stringContaining('module.rest_gateway (env/main.tf) env: DB_PASSWORD is a plain environment value')]);
    });

    it('flag DATABASE_URL passed as a plain env value (and so not from Secret Manager)', async () => {
      const config = await fixture({ env: (h) => h.replace('ONLINE_STORE = "redis"', 'DATABASE_URL = var.database_url').replace('DATABASE_URL = "db-url"\n', '') });
      expect(checkSecretsInEnv(config)).toEqual([
        expect.stringContaining('module.rest_gateway (env/main.tf) env: DATABASE_URL is a plain environment value'),
        expect.stringContaining('module.rest_gateway (env/main.tf): DATABASE_URL is not taken from Secret Manager'),
      ]);
    });

    it('flag a URL holding credentials, whatever its name', async () => {
      const config = await fixture({ env: (h) => h.replace('ONLINE_STORE = "redis"', 'CACHE = "redis://:s3cret@10.0.0.3:6379"') });
      expect(checkSecretsInEnv(config)).toEqual([expect.stringContaining('CACHE holds credentials in a plain environment value')]);
    });

    it('flag a literal env block holding a token in the resource itself', async () => {
      const config = await fixture({ module: (h) => h.replace('      dynamic "env" {', '      env {\n        name  = "API_TOKEN"\n        value = "abc"\n      }\n      dynamic "env" {') });
      expect(checkSecretsInEnv(config)).toEqual([expect.stringContaining('google_cloud_run_v2_service.this (mod/main.tf): API_TOKEN is a plain environment value')]);
    });

    it('flag an env map that is an expression, which cannot be checked', async () => {
      const config = await fixture({ env: (h) => h.replace(/env = \{\n {4}ONLINE_STORE = "redis"\n {2}\}/, 'env = local.common_env') });
      expect(checkSecretsInEnv(config)).toEqual([expect.stringContaining('module.rest_gateway (env/main.tf): env must be a literal map')]);
    });

    it('catch deploy/terraform passing REDIS_URL as a plain value', async () => {
      const config = await loadEdited('environments/example/services.tf', / {8}LOG_LEVEL {11}= var\.log_level\n/, '        LOG_LEVEL           = var.log_level\n        REDIS_URL           = "redis://:auth@10.0.0.3:6379"\n');
      expect(checkSecretsInEnv(config)).toEqual([expect.stringContaining('module.services["cdc-ingestor"] (environments/example/services.tf) env: REDIS_URL is a plain environment value')]);
    }, LOAD_TIMEOUT_MS);
  });

  describe('service accounts', () => {
    it('flag two services sharing one account', async () => {
      const config = await fixture({ env: (h) => h.replace('emails["cdc-ingestor"]', 'emails["rest-gateway"]') });
      expect(checkServiceAccounts(config)).toEqual([expect.stringMatching(/^module\.rest_gateway \(env\/main\.tf\): shares its service account .* with module\.cdc_ingestor/)]);
    });

    it('flag a service without an account of its own', async () => {
      const config = await fixture({ env: (h) => h.replace(/ {2}service_account_email = module\.sa\.emails\["rest-gateway"\]\n/, '') });
      expect(checkServiceAccounts(config)).toEqual(['module.rest_gateway (env/main.tf): no service_account_email']);
    });

    it('flag a resource running as the default compute account', async () => {
      const config = await fixture({ module: (h) => h.replace('service_account = var.service_account_email', 'service_account = "123-compute@developer.gserviceaccount.com"') });
      expect(checkServiceAccounts(config)).toEqual(['google_cloud_run_v2_service.this (mod/main.tf): runs as the default compute service account']);
    });

    it('catch deploy/terraform giving every service the rest-gateway account', async () => {
      const config = await loadEdited('environments/example/services.tf', /emails\[each\.key\]/, 'emails["rest-gateway"]');
      expect(checkServiceAccounts(config)).toEqual([
        expect.stringMatching(/^module\.services\["cdc-ingestor"\] .* shares its service account .* with module\.services\["batch-processor"\]/),
        expect.stringMatching(/^module\.services\["grpc-serving"\] .* shares its service account/),
        expect.stringMatching(/^module\.services\["rest-gateway"\] .* shares its service account/),
      ]);
    }, LOAD_TIMEOUT_MS);
  });

  describe('cdc-ingestor', () => {
    it('flag an ingestor allowed a second instance', async () => {
      const config = await fixture({ env: (h) => h.replace(/(name {18}= "cdc-ingestor"[\s\S]*?max_instances {9}= )1/, '$12') });
      expect(checkIngestorPinned(config)).toEqual(['module.cdc_ingestor (env/main.tf): max_instances must be 1, is 2']);
    });

    it('flag an ingestor whose CPU is throttled between requests', async () => {
      const config = await fixture({ env: (h) => h.replace(/(name {18}= "cdc-ingestor"[\s\S]*?cpu_always_allocated {2}= )true/, '$1false') });
      expect(checkIngestorPinned(config)).toEqual(['module.cdc_ingestor (env/main.tf): cpu_always_allocated must be true (CPU always allocated)']);
    });

    it('flag an ingestor resource scaled beyond one instance', async () => {
      const config = await TerraformConfig.fromSources({
        'main.tf': 'resource "google_cloud_run_v2_service" "cdc_ingestor" {\n  template {\n    scaling {\n      min_instance_count = 0\n      max_instance_count = 3\n    }\n  }\n}\n',
      });
      expect(checkIngestorPinned(config)).toEqual([
        'google_cloud_run_v2_service.cdc_ingestor (main.tf): min_instance_count must be 1',
        'google_cloud_run_v2_service.cdc_ingestor (main.tf): max_instance_count must be 1',
      ]);
    });

    it('catch deploy/terraform scaling the ingestor out', async () => {
      const config = await loadEdited('environments/example/services.tf', / {8}max_instances = 1\n/, '        max_instances = 3\n');
      expect(checkIngestorPinned(config)).toEqual(['module.services["cdc-ingestor"] (environments/example/services.tf): max_instances must be 1, is 3']);
    }, LOAD_TIMEOUT_MS);
  });
});
