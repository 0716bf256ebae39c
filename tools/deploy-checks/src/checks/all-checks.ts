import type { DeployCheck } from './check';
import { checkIngestorPinned, checkProbes, checkSecretsInEnv, checkServiceAccounts } from './cloud-run.checks';
import { checkBigQuery, checkCloudSql, checkRedis } from './data-store.checks';
import { checkEnvironments } from './environment.checks';
import { checkIamRoles, checkSensitiveValues } from './iam.checks';
import { checkDeadLetterIam, checkSubscriptions } from './pubsub.checks';
import { checkModuleCalls, checkReferences } from './wiring.checks';

/** Every invariant of the Terraform under deploy/terraform, by name. */
export const ALL_CHECKS: Readonly<Record<string, DeployCheck>> = {
  'pubsub subscriptions': checkSubscriptions,
  'pubsub dead-letter IAM': checkDeadLetterIam,
  'cloud run probes': checkProbes,
  'cloud run secrets': checkSecretsInEnv,
  'cloud run service accounts': checkServiceAccounts,
  'cdc-ingestor pinned': checkIngestorPinned,
  'cloud sql': checkCloudSql,
  redis: checkRedis,
  bigquery: checkBigQuery,
  'iam roles': checkIamRoles,
  'sensitive values': checkSensitiveValues,
  'module calls': checkModuleCalls,
  references: checkReferences,
  'environment wiring': checkEnvironments,
};
