import nock from 'nock';
import { batchOf, hashBody, sampleChain, DecisionStoreUnavailableError } from '@bnpl/decision-records';
import { BigQueryDecisionStore } from './bigquery-decision-store';
import { BigQueryHttp, PROJECT, V2, writeServiceAccountKey } from './bigquery-http.test-helpers';

const us = (d: Date) => String(d.getTime() * 1000);
const field = (name: string, type: string) => ({ name, type, mode: 'NULLABLE' });
const JOBS = /^\/bigquery\/v2\/projects\/[\w-]+\/jobs$/;
const API = 'https://bigquery.googleapis.com';

// The decision tables on BigQuery, at the HTTP boundary (no emulator exists): the tables it creates
// (partitioned by day, clustered by customer), the streaming inserts with their insert ids, the dedupe
// query before them, and how answers are read back, byte for byte.
describe('BigQueryDecisionStore over HTTP', () => {
  let http: BigQueryHttp;
  let store: BigQueryDecisionStore;
  let inserts: Array<{ table: string; body: { rows: Array<{ insertId: string; json: Record<string, unknown> }> } }>;

  const credentials = process.env['GOOGLE_APPLICATION_CREDENTIALS'];
  beforeAll(() => {
    process.env['GOOGLE_APPLICATION_CREDENTIALS'] = writeServiceAccountKey();
    nock.disableNetConnect();
  });
  afterAll(() => {
    nock.cleanAll();
    nock.enableNetConnect();
    nock.restore();
    if (credentials === undefined) delete process.env['GOOGLE_APPLICATION_CREDENTIALS'];
    else process.env['GOOGLE_APPLICATION_CREDENTIALS'] = credentials;
  });
  beforeEach(() => {
    nock.cleanAll();
    http = new BigQueryHttp();
    store = new BigQueryDecisionStore({ client: http.client, dataset: 'features', location: 'EU' });
    inserts = [];
  });

  const expectInsertAll = (table: string) =>
    nock(API)
      .post(`${V2}/datasets/features/tables/${table}/insertAll`, (body: (typeof inserts)[number]['body']) => {
        inserts.push({ table, body });
        return true;
      })
      .query(true)
      .reply(200, { kind: 'bigquery#tableDataInsertAllResponse' });

  it('creates its tables partitioned by day, records clustered by customer, with partition expiry as a backstop', async () => {
    http.expectTableInsert().expectTableInsert().expectTableInsert().expectQueryJob([{ jobComplete: true, schema: { fields: [field('instance_id', 'STRING'), field('last', 'INTEGER')] }, rows: [] }]);
    await store.lastSequences(['rest-gateway:20261201T100000Z:0123456789ab']);
    const [records, marks, outcomes] = http.sent('POST', /\/tables$/).map((r) => JSON.parse(r.body));
    expect(records.tableReference).toEqual({ projectId: PROJECT, datasetId: 'features', tableId: 'decision_records' });
    expect(records.timePartitioning).toEqual({ type: 'DAY', field: 'served_at', expirationMs: String(26 * 31 * 86_400_000) });
    expect(records.clustering).toEqual({ fields: ['customer_id'] });
    expect(records.schema.fields.map((f: { name: string }) => f.name)).toEqual(['decision_id', 'instance_id', 'sequence', 'previous_sequence', 'previous_hash', 'served_at', 'customer_id', 'body', 'hash', 'stored_at']);
    expect(marks.tableReference.tableId).toBe('decision_instance_marks');
    expect(outcomes).toMatchObject({ tableReference: { tableId: 'decision_outcomes' }, clustering: { fields: ['decision_id'] } });
    http.done();
  });

  it('streams only the records not stored yet, with an insert id per (instance, sequence), and the instance mark', async () => {
    const records = sampleChain('rest-gateway:20261201T100000Z:0123456789ab', 3);
    http.expectTableInsert().expectTableInsert(409).expectTableInsert(409);
    // Record 2 is stored already (a redelivery): only 1 and 3 go out.
    http.expectQueryJob([{ jobComplete: true, schema: { fields: [field('sequence', 'INTEGER')] }, rows: [{ f: [{ v: '2' }] }] }]);
    expectInsertAll('decision_records');
    expectInsertAll('decision_instance_marks');
    expect(await store.append(batchOf(records, { assignedThrough: 5 }))).toEqual({ written: 2, duplicates: 1 });

    const dedupe = JSON.parse(http.sent('POST', JOBS)[0].body).configuration.query;
    expect(dedupe.query).toMatch(/^SELECT DISTINCT sequence FROM `test-project\.features\.decision_records` WHERE served_at BETWEEN @from AND @to AND instance_id = @instance AND sequence IN UNNEST\(@sequences\)$/);
    expect(dedupe.queryParameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'sequences', parameterType: { type: 'ARRAY', arrayType: { type: 'INT64' } } })]));
    const [streamed, mark] = inserts;
    expect(streamed.body.rows.map((r) => r.insertId)).toEqual(['rest-gateway:20261201T100000Z:0123456789ab/1', 'rest-gateway:20261201T100000Z:0123456789ab/3']);
    expect(streamed.body.rows[1].json).toMatchObject({ decision_id: records[2].decisionId, sequence: 3, previous_sequence: 2, previous_hash: records[1].hash, served_at: records[2].servedAt.toISOString(), customer_id: '3', body: records[2].body, hash: records[2].hash });
    expect(mark.body.rows[0].json).toEqual({ instance_id: records[0].instanceId, assigned_through: 5, published_through: 3, sent_at: '2026-12-01T12:00:00.000Z', closed: false });
    http.done();
  });

  it('finds a record by a UUID v7 id within the days around it, each (instance, sequence) once, exactly as stored', async () => {
    const [record] = sampleChain('grpc-serving:20261201T100000Z:0123456789ab', 1, new Date('2026-12-01T10:00:00Z'), () => '9223372036854775807');
    http.expectTableInsert(409).expectTableInsert(409).expectTableInsert(409);
    const fields = ['decision_id', 'instance_id', 'sequence', 'previous_sequence', 'previous_hash', 'served_at', 'customer_id', 'body', 'hash'];
    const types = ['STRING', 'STRING', 'INTEGER', 'INTEGER', 'STRING', 'TIMESTAMP', 'STRING', 'STRING', 'STRING'];
    const raw = [record.decisionId, record.instanceId, '1', '0', record.previousHash, us(record.servedAt), record.customerId, record.body, record.hash];
    http.expectQueryJob([{ jobComplete: true, schema: { fields: fields.map((f, i) => field(f, types[i])) }, rows: [{ f: raw.map((v) => ({ v })) }] }]);
    const [found] = await store.find(record.decisionId);
    expect(found).toEqual(record);
    expect(hashBody(found.body)).toBe(found.hash);
    const query = JSON.parse(http.sent('POST', JOBS)[0].body).configuration.query;
    expect(query.query).toContain('WHERE decision_id = @id AND served_at BETWEEN @from AND @to QUALIFY ROW_NUMBER() OVER (PARTITION BY instance_id, sequence ORDER BY stored_at) = 1');
    http.done();
  });

  it('writes an outcome over the revision it read, and reads the latest revision back', async () => {
    http.expectTableInsert(409).expectTableInsert(409).expectTableInsert(409);
    http.expectQueryJob([{ jobComplete: true, schema: { fields: [field('decision_id', 'STRING')] }, rows: [] }]);
    expectInsertAll('decision_outcomes');
    const outcome = { decision: 'declined' as const, reasonCodes: ['HIGH_UTILIZATION', 'LATE'], repayment: null, postedBy: 'key:0123456789ab', postedAt: new Date('2026-12-01T10:00:01Z'), labelledAt: null, servedAt: new Date('2026-12-01T10:00:00Z'), revision: 1 };
    expect(await store.putOutcome('d-1', outcome)).toBe(true);
    expect(inserts[0].body.rows[0]).toEqual({ insertId: 'd-1/1', json: { decision_id: 'd-1', revision: 1, decision: 'declined', reason_codes: 'HIGH_UTILIZATION|LATE', repayment: null, posted_by: 'key:0123456789ab', posted_at: '2026-12-01T10:00:01.000Z', labelled_at: null, served_at: '2026-12-01T10:00:00.000Z' } });

    const cols = ['decision_id', 'revision', 'decision', 'reason_codes', 'repayment', 'posted_by', 'posted_at', 'labelled_at', 'served_at'];
    const types = ['STRING', 'INTEGER', 'STRING', 'STRING', 'STRING', 'STRING', 'TIMESTAMP', 'TIMESTAMP', 'TIMESTAMP'];
    http.expectQueryJob([{ jobComplete: true, schema: { fields: cols.map((c, i) => field(c, types[i])) }, rows: [{ f: ['d-1', '1', 'declined', 'HIGH_UTILIZATION|LATE', null, 'key:0123456789ab', us(outcome.postedAt), null, us(outcome.servedAt)].map((v) => ({ v })) }] }]);
    expect(await store.getOutcome('d-1')).toEqual(outcome);
    // Revision 1 is stored: another first post is refused without writing.
    http.expectQueryJob([{ jobComplete: true, schema: { fields: cols.map((c, i) => field(c, types[i])) }, rows: [{ f: ['d-1', '1', 'declined', 'HIGH_UTILIZATION|LATE', null, null, us(outcome.postedAt), null, us(outcome.servedAt)].map((v) => ({ v })) }] }]);
    expect(await store.putOutcome('d-1', { ...outcome, decision: 'approved' })).toBe(false);
    expect(inserts).toHaveLength(1);
    http.done();
  });

  it('deletes by served day for retention, and reports a failing backend as DecisionStoreUnavailableError', async () => {
    http.expectTableInsert(409).expectTableInsert(409).expectTableInsert(409);
    http.expectQueryJob([{ jobComplete: true, numDmlAffectedRows: '12' }]).expectQueryJob([{ jobComplete: true, numDmlAffectedRows: '3' }]).expectQueryJob([{ jobComplete: true, numDmlAffectedRows: '1' }]);
    expect(await store.deleteServedBefore(new Date('2024-11-01T00:00:00Z'))).toEqual({ records: 12, outcomes: 3 });
    expect(http.sent('POST', JOBS).map((r) => JSON.parse(r.body).configuration.query.query)).toEqual([
      'DELETE FROM `test-project.features.decision_records` WHERE served_at < @cutoff',
      'DELETE FROM `test-project.features.decision_outcomes` WHERE served_at < @cutoff',
      'DELETE FROM `test-project.features.decision_instance_marks` WHERE sent_at < @cutoff',
    ]);
    http.expectQueryJob([], 403, { error: { code: 403, message: 'Access Denied: Table decision_records', status: 'PERMISSION_DENIED' } });
    await expect(store.lastSequences(['x'])).rejects.toBeInstanceOf(DecisionStoreUnavailableError);
  });
});
