import { randomBytes } from 'node:crypto';
import { SERVICE_DATABASE_ROLES, databaseUrlAs, enableServiceRoleLogin } from '@bnpl/postgres';
import { type ServiceSpec } from './services';

/**
 * The DATABASE_URL of each service: its own role (README "Database roles"), logged in with a password
 * made for this run (never printed, never written to disk), so the local stack runs with production's
 * grants. `ownerUrl` is the tables' owner, which runs the migrations and gives the roles LOGIN.
 *
 * The cdc-ingestor keeps the owner's URL: it creates (and narrows) its publication from the catalog at
 * start, which only the tables' owner may do; in a deployment the owner runs the statement it prints.
 */
export async function serviceDatabaseUrls(ownerUrl: string): Promise<Map<ServiceSpec['name'], string>> {
  const urls = new Map<ServiceSpec['name'], string>();
  for (const service of ['rest-gateway', 'grpc-serving', 'batch-processor'] as const) {
    const role = SERVICE_DATABASE_ROLES[service];
    const password = randomBytes(24).toString('base64url');
    await enableServiceRoleLogin(ownerUrl, role, password);
    urls.set(service, databaseUrlAs(ownerUrl, role, password));
  }
  return urls;
}
