import { blocks } from './hcl-values';
import { TerraformConfig } from './terraform-config';

describe('TerraformConfig', () => {
  it('reads resources, module calls, variables, outputs and locals per directory', async () => {
    const config = await TerraformConfig.fromSources({
      'env/main.tf': `
locals {
  a = "x"
}
module "svc" {
  source = "../mod"
  name   = local.a
}
`,
      'mod/main.tf': `
variable "name" {
  type = string
}
resource "google_pubsub_topic" "t" {
  name = var.name
}
output "id" {
  value = google_pubsub_topic.t.id
}
`,
    });
    expect(config.dirs.sort()).toEqual(['env', 'mod']);
    expect(config.moduleCalls('env')).toEqual([expect.objectContaining({ name: 'svc', source: '../mod', targetDir: 'mod', file: 'env/main.tf' })]);
    expect(config.resources('google_pubsub_topic').map((r) => [r.address, r.dir, r.body['name']])).toEqual([['google_pubsub_topic.t', 'mod', '${var.name}']]);
    expect(config.variables('mod').map((v) => v.name)).toEqual(['name']);
    expect(config.outputs('mod').map((o) => o.name)).toEqual(['id']);
    expect(config.locals('env')).toEqual({ a: 'x' });
  });

  it('gives the content of dynamic blocks with their for_each', async () => {
    const config = await TerraformConfig.fromSources({
      'main.tf': `
resource "google_cloud_run_v2_service" "s" {
  template {
    containers {
      env {
        name  = "A"
        value = "1"
      }
      dynamic "env" {
        for_each = var.env
        content {
          name  = env.key
          value = env.value
        }
      }
    }
  }
}
`,
    });
    const [service] = config.resources('google_cloud_run_v2_service');
    const container = blocks(blocks(service.body, 'template')[0].body, 'containers')[0].body;
    expect(blocks(container, 'env')).toEqual([{ body: { name: 'A', value: '1' } }, { body: { name: '${env.key}', value: '${env.value}' }, dynamicForEach: '${var.env}' }]);
  });

  it('gives one call per for_each entry of a literal map, with each.key and each.value put in', async () => {
    const config = await TerraformConfig.fromSources({
      'env/main.tf': `
locals {
  svc = {
    "a-one" = { port = 1, sizing = var.sizes.a, env = { X = "1" }, none = null }
    "b-two" = { port = 2, sizing = { min = 1 }, env = { Y = var.y } }
  }
}
module "svc" {
  source   = "../mod"
  for_each = local.svc
  name     = "\${var.prefix}-\${each.key}"
  account  = module.sa.emails[each.key]
  port     = each.value.port
  min      = each.value.sizing.min
  env      = each.value.env
  none     = each.value.none
  missing  = each.value.nope
}
module "plain" {
  source = "../mod"
}
module "opaque" {
  source   = "../mod"
  for_each = var.anything
  port     = each.value.port
}
`,
    });
    const calls = config.moduleCalls('env');
    // Blocks come by name (the parser sorts them).
    expect(calls.map((c) => c.address)).toEqual(['module.opaque', 'module.plain', 'module.svc["a-one"]', 'module.svc["b-two"]']);
    const [opaque, , a, b] = calls;
    expect(a).toMatchObject({ name: 'svc', key: 'a-one', file: 'env/main.tf', targetDir: 'mod' });
    expect(a.body).toMatchObject({ name: '${var.prefix}-a-one', account: '${module.sa.emails["a-one"]}', port: 1, min: '${var.sizes.a.min}', env: { X: '1' }, none: null, missing: '${each.value.nope}' });
    expect(b.body).toMatchObject({ port: 2, min: 1, env: { Y: '${var.y}' } });
    expect(opaque.body).toMatchObject({ port: '${each.value.port}' });
    expect(config.moduleBlocks('env').map((c) => c.address)).toEqual(['module.opaque', 'module.plain', 'module.svc']);
  });

  it('rejects a syntax error, naming the file', async () => {
    await expect(TerraformConfig.fromSources({ 'bad/main.tf': 'resource "x" "y" {\n  a = \n}\n' })).rejects.toThrow(/^bad\/main\.tf: /);
  });
});
