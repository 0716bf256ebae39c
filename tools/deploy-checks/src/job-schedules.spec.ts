import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { bnplCatalog } from '@bnpl/feature-definitions';
import { parseSchedules, scheduledJobBody } from '@bnpl/scheduling';
import { literalString } from './hcl/hcl-values';
import { TerraformConfig } from './hcl/terraform-config';
import { DEPLOY_TERRAFORM, LOAD_TIMEOUT_MS } from './testing/deploy-tree';

const SCHEDULES_FILE = join(DEPLOY_TERRAFORM, '..', 'job-schedules.json');
const raw = () => JSON.parse(readFileSync(SCHEDULES_FILE, 'utf8')) as Array<Record<string, unknown>>;

/**
 * Cloud Scheduler (production) and the batch-processors' own scheduler (JOB_SCHEDULES_FILE elsewhere)
 * submit the same jobs on the same cron: both read deploy/job-schedules.json, in one format.
 */
describe('scheduled jobs: one file for Terraform and the batch-processors', () => {
  let config: TerraformConfig;
  beforeAll(async () => {
    config = await TerraformConfig.load(DEPLOY_TERRAFORM);
  }, LOAD_TIMEOUT_MS);

  it('holds schedules the batch-processor accepts (cron, time zone, a job valid for the catalog)', () => {
    const schedules = parseSchedules(raw(), bnplCatalog, new Date());
    expect(schedules.map((s) => s.name)).toEqual(['bnpl-materialize-incremental', 'bnpl-materialize-full']);
  });

  it("passes the scheduler module's own validation: five fields split by single spaces", () => {
    for (const s of raw()) expect(String(s.cron).trim().split(' ')).toHaveLength(5);
  });

  it('is what every environment gives Cloud Scheduler by default', () => {
    const calls = config.moduleBlocks().filter((c) => c.targetDir === 'modules/scheduler');
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) {
      expect(call.body['schedules']).toBe('${jsondecode(file(local.job_schedules_file))}');
      const path = String(config.locals(call.dir)['job_schedules_file']);
      // `var.job_schedules_file != "" ? var.job_schedules_file : "${path.module}/<default>"`
      const fallback = /: "\$\{path\.module\}\/([^"]+)"\}$/.exec(path)?.[1];
      expect(fallback && posix.normalize(posix.join(call.dir, fallback))).toBe('../job-schedules.json');
    }
  });

  it("declares the file's fields in the scheduler module's variable, no more, no fewer", () => {
    const [variable] = config.variables('modules/scheduler').filter((v) => v.name === 'schedules');
    const type = String(variable.body['type']);
    const attributes = (object: string) => [...object.matchAll(/(\w+)\s*=/g)].map((m) => m[1]);
    const job = /job\s*=\s*object\(\{([^}]*)\}\)/.exec(type)?.[1] ?? '';
    const top = type.replace(/job\s*=\s*object\(\{[^}]*\}\)/, 'job = x');
    expect(attributes(top).sort()).toEqual(['cron', 'description', 'job', 'name', 'paused', 'time_zone']);
    expect(attributes(job).sort()).toEqual(['feature_service', 'incremental', 'shard_size', 'views']);
    // Optional attributes default as the batch-processor defaults them.
    expect(type).toMatch(/time_zone\s*=\s*optional\(string,\s*"Etc\/UTC"\)/);
    expect(type).toMatch(/paused\s*=\s*optional\(bool,\s*false\)/);
  });

  it('posts the body the batch-processor submits: the job with kind materialize, nulls left out', () => {
    const [job] = config.resources('google_cloud_scheduler_job', 'modules/scheduler');
    const target = (job.body['http_target'] as Array<Record<string, unknown>>)[0];
    expect(literalString(target['http_method'])).toBe('POST');
    expect(target['uri']).toBe('${var.target_url}/v1/jobs');
    expect(target['body']).toBe('${base64encode(jsonencode({ for k, v in merge(each.value.job, { kind = "materialize" }) : k => v if v != null }))}');
    // That expression, evaluated here on the file's jobs, is scheduledJobBody's answer.
    for (const s of raw()) {
      const job = s.job as Record<string, unknown>;
      const body = Object.fromEntries(Object.entries({ ...job, kind: 'materialize' }).filter(([, v]) => v !== null));
      const parsed = parseSchedules([s], bnplCatalog, new Date())[0];
      expect(body).toEqual(scheduledJobBody(parsed.job));
    }
  });
});
