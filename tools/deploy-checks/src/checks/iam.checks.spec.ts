import { TerraformConfig } from '../hcl/terraform-config';
import { DEPLOY_TERRAFORM, LOAD_TIMEOUT_MS, loadEdited } from '../testing/deploy-tree';
import { checkIamRoles, checkSensitiveValues } from './iam.checks';

const load = (hcl: string) => TerraformConfig.fromSources({ 'main.tf': hcl });

describe('IAM and secrets', () => {
  it('pass on deploy/terraform', async () => {
    const config = await TerraformConfig.load(DEPLOY_TERRAFORM);
    expect(checkIamRoles(config)).toEqual([]);
    expect(checkSensitiveValues(config)).toEqual([]);
  }, LOAD_TIMEOUT_MS);

  it('flag a primitive role, wherever it is written', async () => {
    const config = await load('locals {\n  role = "roles/editor"\n}\nresource "google_pubsub_topic_iam_member" "m" {\n  role   = local.role\n  member = "user:a@b.c"\n}\n');
    expect(checkIamRoles(config)).toEqual(['main.tf: grants a primitive role (roles/editor)']);
  });

  it('flag a grant to everyone', async () => {
    const config = await load('resource "google_cloud_run_v2_service_iam_member" "m" {\n  role   = "roles/run.invoker"\n  member = "allUsers"\n}\n');
    expect(checkIamRoles(config)).toEqual(['main.tf: grants to allUsers']);
  });

  it('flag authoritative project IAM and data roles on the whole project', async () => {
    const config = await load(
      'resource "google_project_iam_binding" "b" {\n  role    = "roles/bigquery.jobUser"\n  members = []\n}\nresource "google_project_iam_member" "m" {\n  role   = "roles/pubsub.publisher"\n  member = "user:a@b.c"\n}\n',
    );
    expect(checkIamRoles(config)).toEqual([
      'google_project_iam_binding.b (main.tf): authoritative project IAM; use google_project_iam_member',
      'google_project_iam_member.m (main.tf): roles/pubsub.publisher on the whole project; grant it on the resource',
    ]);
  });

  it('catch deploy/terraform granting a service roles/owner', async () => {
    const config = await loadEdited('environments/example/iam.tf', /role = "roles\/bigquery\.jobUser"/, 'role = "roles/owner"');
    expect(checkIamRoles(config)).toEqual(['environments/example/iam.tf: grants a primitive role (roles/owner)']);
  }, LOAD_TIMEOUT_MS);

  it('flag a secret version fed by a variable that is not sensitive', async () => {
    const config = await load('variable "data" {\n  type = string\n}\nresource "google_secret_manager_secret_version" "v" {\n  secret_data = var.data\n}\n');
    expect(checkSensitiveValues(config)).toEqual(['google_secret_manager_secret_version.v (main.tf): takes its secret from var.data, which is not sensitive']);
  });

  it('flag an output holding a generated password that is not sensitive', async () => {
    const config = await load('resource "random_password" "p" {\n  length = 8\n}\noutput "url" {\n  value = "postgres://u:${random_password.p.result}@h/db"\n}\n');
    expect(checkSensitiveValues(config)).toEqual(['output.url (main.tf): holds a secret but is not sensitive']);
  });

  it('catch deploy/terraform exposing the Redis URL', async () => {
    const config = await loadEdited('modules/redis/outputs.tf', / {2}sensitive {3}= true\n/, '');
    expect(checkSensitiveValues(config)).toEqual(['output.url (modules/redis/outputs.tf): holds a secret but is not sensitive']);
  }, LOAD_TIMEOUT_MS);
});
