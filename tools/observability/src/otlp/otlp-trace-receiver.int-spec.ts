import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { WORKSPACE_ROOT } from '@bnpl/testing';
import { OtlpTraceReceiver } from './otlp-trace-receiver';
import { TraceTree } from './trace-tree';

/** Runs the fixture that sends two spans with the services' exporter as `service`; resolves with their ids. */
async function sendSpans(url: string, service: string): Promise<{ traceId: string; rootId: string; childId: string }> {
  const { stdout } = await promisify(execFile)(process.execPath, ['-r', join(WORKSPACE_ROOT, 'tools/register.cjs'), join(__dirname, 'fixtures/send-spans.ts'), url, service], { cwd: WORKSPACE_ROOT });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { traceId: string; rootId: string; childId: string };
}

describe('OtlpTraceReceiver', () => {
  const receiver = new OtlpTraceReceiver();
  beforeAll(() => receiver.start());
  afterAll(() => receiver.stop());

  it("decodes what the services' OTLP/protobuf exporter sends: ids, parents, kinds, attributes, status, resource", async () => {
    const { traceId, rootId, childId } = await sendSpans(receiver.url, 'svc');
    const spans = receiver.spans().filter((s) => s.service === 'svc');
    const tree = new TraceTree(spans);
    expect(spans.find((s) => s.kind === 'SERVER')).toEqual({
      traceId,
      spanId: rootId,
      name: 'GET /v1/customers/:id/features',
      kind: 'SERVER',
      service: 'svc',
      instance: 'i-1',
      attributes: { 'http.response.status_code': 200 },
      statusCode: 0,
    });
    const producer = spans.find((s) => s.kind === 'PRODUCER');
    expect(producer).toMatchObject({ traceId, spanId: childId, parentSpanId: rootId, attributes: { 'messaging.destination.name': 'bnpl.jobs.requests', ok: true, ratio: 0.5 }, statusCode: 2 });
    expect(producer && tree.parent(producer)?.spanId).toBe(rootId);
    expect(tree.describe(traceId)).toBe('svc: GET /v1/customers/:id/features [SERVER]\n  svc: publish bnpl.jobs.requests [PRODUCER]');
  });
});

describe('OtlpTraceReceiver refusals', () => {
  it('answers 400 to what is not an OTLP trace export', async () => {
    const receiver = new OtlpTraceReceiver();
    await receiver.start();
    try {
      expect((await fetch(`${receiver.url}/v1/metrics`, { method: 'POST', body: 'x' })).status).toBe(400);
      expect((await fetch(`${receiver.url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: Buffer.from([0xff, 0xff, 0xff]) })).status).toBe(400);
      expect(receiver.spans()).toEqual([]);
    } finally {
      await receiver.stop();
    }
  });
});
