import { TerraformConfig } from '../hcl/terraform-config';
import { DEPLOY_TERRAFORM, LOAD_TIMEOUT_MS, loadEdited } from '../testing/deploy-tree';
import { checkEnvironments } from './environment.checks';

const MAIN = 'environments/example/main.tf';
const SERVICES = 'environments/example/services.tf';

describe('environment wiring', () => {
  it('passes on environments/example', async () => {
    const config = await TerraformConfig.load(DEPLOY_TERRAFORM);
    expect(config.dirs).toContain('environments/example');
    expect(checkEnvironments(config)).toEqual([]);
  }, LOAD_TIMEOUT_MS);

  it('catches a service publishing feature updates besides the cdc-ingestor', async () => {
    const config = await loadEdited(MAIN, /publishers = \["cdc-ingestor"\]/, 'publishers = ["cdc-ingestor", "grpc-serving"]');
    expect(checkEnvironments(config)).toEqual([expect.stringContaining('bnpl.features.updates is published by ["cdc-ingestor","grpc-serving"], expected ["cdc-ingestor"]')]);
  }, LOAD_TIMEOUT_MS);

  it('catches a service publishing decision records', async () => {
    const config = await loadEdited(MAIN, /publishers = keys\(var\.decision_record_publishers\)/, 'publishers = ["rest-gateway"]');
    expect(checkEnvironments(config)).toEqual([expect.stringContaining('bnpl.decisions.records is published by ["rest-gateway"], expected var.decision_record_publishers only')]);
  }, LOAD_TIMEOUT_MS);

  it('catches a second BigQuery writer', async () => {
    const config = await loadEdited(MAIN, /writers {27}= \["batch-processor"\]/, 'writers                           = ["batch-processor", "rest-gateway"]');
    expect(checkEnvironments(config)).toEqual([expect.stringContaining('writers are ["batch-processor","rest-gateway"], expected ["batch-processor"]')]);
  }, LOAD_TIMEOUT_MS);

  it('catches decision records kept less than 25 months by default', async () => {
    const config = await loadEdited('environments/example/variables.tf', /(variable "decision_records_retention_months" \{[\s\S]*?default {5}= )25/, '$112');
    expect(checkEnvironments(config)).toEqual([expect.stringContaining('decision records must expire after var.decision_records_retention_months, by default at least 25')]);
  }, LOAD_TIMEOUT_MS);

  it('catches grpc-serving served over HTTP/1 or probed over HTTP', async () => {
    const config = await loadEdited(SERVICES, /(port {8}= 50051\n {6}grpc {8}= )true/, '$1false');
    expect(checkEnvironments(config)).toEqual([
      expect.stringContaining('module.services["grpc-serving"] (environments/example/services.tf): http2 must be true'),
      expect.stringContaining('module.services["grpc-serving"] (environments/example/services.tf): grpc_startup_probe must be true'),
    ]);
  }, LOAD_TIMEOUT_MS);

  it("catches a serving app deployed without the Node flags it is measured with", async () => {
    const config = await loadEdited(SERVICES, /\n {8}NODE_OPTIONS {6}= "--max-semi-space-size=64"/, '');
    expect(checkEnvironments(config)).toEqual(['module.services["grpc-serving"] (environments/example/services.tf): NODE_OPTIONS is not set, expected "--max-semi-space-size=64" (as the services are measured)']);
    const other = await loadEdited(SERVICES, /NODE_OPTIONS = "--max-semi-space-size=64"/, 'NODE_OPTIONS = "--max-semi-space-size=16"');
    expect(checkEnvironments(other)).toEqual([expect.stringContaining('module.services["rest-gateway"] (environments/example/services.tf): NODE_OPTIONS is "--max-semi-space-size=16"')]);
  }, LOAD_TIMEOUT_MS);

  it('catches grpc-serving health probed on another port than its HTTP_PORT', async () => {
    const config = await loadEdited(SERVICES, /health_port = 3003/, 'health_port = 3000');
    expect(checkEnvironments(config)).toEqual(['module.services["grpc-serving"] (environments/example/services.tf): health_port 3000 is not HTTP_PORT 3003']);
  }, LOAD_TIMEOUT_MS);
});
