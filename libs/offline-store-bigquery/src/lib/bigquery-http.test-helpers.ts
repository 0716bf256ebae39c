import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { BigQuery } from '@google-cloud/bigquery';

/** One request the BigQuery client sent, as nock saw it. */
export interface RecordedRequest {
  readonly method: string;
  readonly url: URL;
  readonly authorization: string | null;
  readonly body: string;
}

export const PROJECT = 'test-project';
const API = 'https://bigquery.googleapis.com';
export const V2 = `/bigquery/v2/projects/${PROJECT}`;

/**
 * A throw-away service account key file, for GOOGLE_APPLICATION_CREDENTIALS: the client then signs a real
 * token request, which nock answers.
 */
export function writeServiceAccountKey(): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
  const keyFile = join(mkdtempSync(join(tmpdir(), 'bq-key-')), 'key.json');
  writeFileSync(keyFile, JSON.stringify({ type: 'service_account', project_id: PROJECT, client_email: `offline-store@${PROJECT}.iam.gserviceaccount.com`, private_key: privateKey }));
  return keyFile;
}

/**
 * The BigQuery REST API at the HTTP boundary (no emulator exists): nock answers the token exchange and
 * records every request sent to BigQuery. Tests queue the exchanges they expect with `expect*` and check
 * what was sent. Needs GOOGLE_APPLICATION_CREDENTIALS set to `writeServiceAccountKey()`'s file.
 */
export class BigQueryHttp {
  readonly requests: RecordedRequest[] = [];
  readonly client: BigQuery;
  private readonly scope = nock(API);

  constructor() {
    nock('https://oauth2.googleapis.com').persist().post('/token').reply(200, { access_token: 'test-token', token_type: 'Bearer', expires_in: 3600 });
    this.scope.on('request', (req: Request, _interceptor: unknown, body: string) => {
      this.requests.push({ method: req.method, url: new URL(req.url), authorization: req.headers.get('authorization'), body: body ?? '' });
    });
    this.client = new BigQuery({ projectId: PROJECT, location: 'EU' });
  }

  /** The last request's JSON body. */
  lastJson(): Record<string, unknown> {
    return JSON.parse(this.requests[this.requests.length - 1].body) as Record<string, unknown>;
  }

  /** tables.insert answered with the created table (or 409 when it exists). */
  expectTableInsert(status: 200 | 409 = 200): this {
    this.scope.post(`${V2}/datasets/features/tables`).query(true).reply(() => {
      if (status === 409) return [409, { error: { code: 409, message: 'Already Exists: Table', status: 'ALREADY_EXISTS' } }];
      const table = this.lastJson()['tableReference'];
      return [200, { kind: 'bigquery#table', tableReference: table }];
    });
    return this;
  }

  /** A multipart load-job upload, then the job's poll answering DONE. */
  expectLoadJob(jobId: string): this {
    this.scope.post(`/upload${V2}/jobs`).query({ uploadType: 'multipart' }).reply(200, { jobReference: { projectId: PROJECT, jobId, location: 'EU' }, status: { state: 'RUNNING' } });
    this.scope.get(`${V2}/jobs/${jobId}`).query(true).reply(200, { jobReference: { projectId: PROJECT, jobId, location: 'EU' }, status: { state: 'DONE' } });
    return this;
  }

  /** jobs.insert of a query, then its getQueryResults pages (the first may say the job still runs). */
  expectQueryJob(pages: ReadonlyArray<Record<string, unknown>>, insertStatus = 200, insertBody?: Record<string, unknown>): this {
    const jobId = `query-${this.requests.length}-${Math.random().toString(36).slice(2)}`;
    this.scope.post(`${V2}/jobs`).query(true).reply(insertStatus, insertBody ?? { jobReference: { projectId: PROJECT, jobId, location: 'EU' }, status: { state: 'RUNNING' } });
    for (const page of pages) this.scope.get(/\/bigquery\/v2\/projects\/test-project\/queries\/[\w-]+/).query(true).reply(200, { kind: 'bigquery#getQueryResultsResponse', ...page });
    return this;
  }

  expectTableDelete(): this {
    this.scope.delete(/\/bigquery\/v2\/projects\/test-project\/datasets\/features\/tables\/_\w+/).query(true).reply(204);
    return this;
  }

  /** Requests to a path (regex on the path, e.g. /^\/bigquery\/v2\/.*\/jobs$/), in order. */
  sent(method: string, path: RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && path.test(r.url.pathname));
  }

  done(): void {
    this.scope.done();
  }
}

/** A recorded body as text: nock gives a body that is not valid UTF-8 (a Parquet upload) in hex. */
export function bodyText(body: string): string {
  return /^[0-9a-f]+$/.test(body) && body.length % 2 === 0 ? Buffer.from(body, 'hex').toString('latin1') : body;
}

/** The JSON metadata part of a multipart upload (the first part). */
export function uploadMetadata(recorded: string): Record<string, unknown> {
  const body = bodyText(recorded);
  const start = body.indexOf('{');
  let depth = 0;
  for (let i = start; i < body.length; i++) {
    if (body[i] === '{') depth++;
    else if (body[i] === '}' && --depth === 0) return JSON.parse(body.slice(start, i + 1)) as Record<string, unknown>;
  }
  throw new Error('No JSON part in the upload');
}
