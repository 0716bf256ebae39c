import { MAX_ERROR_MESSAGE_LENGTH } from '@bnpl/feature-definitions';
import { answerFrameworkErrorAsProblem } from './framework-error.handler';
import { problemSchema } from './problem.schema';

function capture() {
  const sent: { status?: number; headers: Record<string, string>; body?: unknown } = { headers: {} };
  const reply = {
    code: (status: number) => {
      sent.status = status;
      return {
        header: (name: string, value: string) => {
          sent.headers[name] = value;
          return { send: (body: unknown) => (sent.body = body) };
        },
      };
    },
  };
  return { sent, reply };
}

describe('answerFrameworkErrorAsProblem', () => {
  it("answers the router's parameter-length error as a 414 problem, its instance bounded", () => {
    const { sent, reply } = capture();
    const url = `/v1/catalog/services/${'x'.repeat(10_000)}`;
    answerFrameworkErrorAsProblem(Object.assign(new Error('too long'), { code: 'FST_ERR_MAX_PARAM_LENGTH' }), { url }, reply);
    expect(sent).toMatchObject({ status: 414, headers: { 'content-type': 'application/problem+json' } });
    const problem = problemSchema.parse(sent.body);
    expect(problem).toMatchObject({ status: 414, reason: 'URI_TOO_LONG', title: 'URI Too Long' });
    expect(problem.instance.length).toBeLessThanOrEqual(MAX_ERROR_MESSAGE_LENGTH);
  });

  it('answers a malformed URL and anything else as a 400 problem', () => {
    for (const [code, reason] of [['FST_ERR_BAD_URL', 'MALFORMED_URL'], ['FST_ERR_OTHER', 'BAD_REQUEST']]) {
      const { sent, reply } = capture();
      answerFrameworkErrorAsProblem(Object.assign(new Error('bad'), { code }), { url: '/%zz' }, reply);
      expect(problemSchema.parse(sent.body)).toMatchObject({ status: 400, reason, instance: '/%zz' });
    }
  });
});
