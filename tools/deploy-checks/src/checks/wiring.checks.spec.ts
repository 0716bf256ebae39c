import { TerraformConfig } from '../hcl/terraform-config';
import { DEPLOY_TERRAFORM, LOAD_TIMEOUT_MS, loadEdited } from '../testing/deploy-tree';
import { checkModuleCalls, checkReferences } from './wiring.checks';

const MODULE = 'variable "name" {\n  type = string\n}\nvariable "size" {\n  type    = number\n  default = 1\n}\nresource "google_pubsub_topic" "t" {\n  name = var.name\n}\noutput "id" {\n  value = google_pubsub_topic.t.id\n}\n';

const load = (env: string) => TerraformConfig.fromSources({ 'mod/main.tf': MODULE, 'env/main.tf': env });

describe('module wiring', () => {
  it('passes on deploy/terraform', async () => {
    const config = await TerraformConfig.load(DEPLOY_TERRAFORM);
    expect(checkModuleCalls(config)).toEqual([]);
    expect(checkReferences(config)).toEqual([]);
  }, LOAD_TIMEOUT_MS);

  it('passes on a call that matches its module', async () => {
    const config = await load('module "m" {\n  source = "../mod"\n  name   = "a"\n}\noutput "o" {\n  value = module.m.id\n}\n');
    expect(checkModuleCalls(config)).toEqual([]);
    expect(checkReferences(config)).toEqual([]);
  });

  it('flags an undeclared argument and a missing required one', async () => {
    const config = await load('module "m" {\n  source = "../mod"\n  nme    = "a"\n}\n');
    expect(checkModuleCalls(config)).toEqual(['module.m (env/main.tf): passes nme, which mod does not declare', 'module.m (env/main.tf): does not pass name, which mod requires']);
  });

  it('flags references to what is not declared', async () => {
    const config = await load(
      'module "m" {\n  source = "../mod"\n  name   = var.missing\n}\noutput "a" {\n  value = module.m.nope\n}\noutput "b" {\n  value = "${local.gone}-${google_pubsub_topic.t.id}-${module.other.x}-${data.google_project.p.number}"\n}\n',
    );
    expect(checkReferences(config).sort()).toEqual([
      'env/main.tf: data.google_project.p is not declared in env',
      'env/main.tf: google_pubsub_topic.t is not declared in env',
      'env/main.tf: local.gone is not defined in env',
      'env/main.tf: module.m has no output nope',
      'env/main.tf: module.other is not called in env',
      'env/main.tf: var.missing is not declared in env',
    ]);
  });

  it('catches deploy/terraform calling a module output that does not exist', async () => {
    const config = await loadEdited('environments/example/scheduler.tf', /module\.services\["rest-gateway"\]\.uri/, 'module.services["rest-gateway"].url');
    expect(checkReferences(config)).toEqual(['environments/example/scheduler.tf: module.services has no output url']);
  }, LOAD_TIMEOUT_MS);

  it('catches deploy/terraform passing a misspelt argument', async () => {
    const config = await loadEdited('environments/example/main.tf', / {2}rdb_snapshot_period = var\.redis_rdb_snapshot_period/, '  rdb_snapshot_periode = var.redis_rdb_snapshot_period');
    expect(checkModuleCalls(config)).toEqual(['module.redis (environments/example/main.tf): passes rdb_snapshot_periode, which modules/redis does not declare']);
  }, LOAD_TIMEOUT_MS);
});
