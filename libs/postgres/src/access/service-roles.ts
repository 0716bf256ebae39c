import { Client } from 'pg';

/**
 * The database role of each service, as migration ServiceRoles1765300000000 creates them (NOLOGIN) and
 * deploy/terraform names its Cloud SQL users. The README's "Database roles" lists their grants.
 */
export const SERVICE_DATABASE_ROLES = {
  'rest-gateway': 'bnpl_rest_gateway',
  'grpc-serving': 'bnpl_grpc_serving',
  'batch-processor': 'bnpl_batch_processor',
  'cdc-ingestor': 'bnpl_cdc_ingestor',
} as const;

export type ServiceWithDatabaseRole = keyof typeof SERVICE_DATABASE_ROLES;

/**
 * Lets a service role log in with `password` (for the local stack and tests; a deployment's users get
 * theirs from the deployer), connecting to `adminUrl` as a role with CREATEROLE. The password is a bound
 * parameter read back inside the server, so it is never in the text of a statement PostgreSQL could log.
 */
export async function enableServiceRoleLogin(adminUrl: string, role: string, password: string): Promise<void> {
  if (!(Object.values(SERVICE_DATABASE_ROLES) as string[]).includes(role)) throw new RangeError('not a service database role');
  const client = new Client({ connectionString: adminUrl, application_name: 'service-role-login' });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SELECT set_config('bnpl.login_role', $1, true), set_config('bnpl.login_password', $2, true)`, [role, password]);
    await client.query(`DO $$ BEGIN EXECUTE format('ALTER ROLE %I LOGIN PASSWORD %L', current_setting('bnpl.login_role'), current_setting('bnpl.login_password')); END $$`);
    await client.query('COMMIT');
  } finally {
    await client.end();
  }
}

/** `url` (postgres://user:password@host/db) with another user and password, both URL-encoded. */
export function databaseUrlAs(url: string, role: string, password: string): string {
  const parsed = new URL(url);
  parsed.username = encodeURIComponent(role);
  parsed.password = encodeURIComponent(password);
  return parsed.toString();
}
