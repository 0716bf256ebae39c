import { Metadata } from '@grpc/grpc-js';
import { grpcDecision, restDecision } from './edge-decision';

describe('edge decisions', () => {
  it('reads x-decision-id from a REST request, and answers with it in the same header', () => {
    const headers: Record<string, string> = {};
    const decision = restDecision({ headers: { 'x-decision-id': 'app-1' } }, { header: (n: string, v: string) => (headers[n] = v) }, 'feast');
    expect(decision).toMatchObject({ requestedId: 'app-1', edge: 'feast', principal: null });
    decision.answer('app-1');
    expect(headers).toEqual({ 'x-decision-id': 'app-1' });
    expect(restDecision({ headers: {} }, { header: () => undefined }).requestedId).toBeUndefined();
  });

  it('reads gRPC metadata (repeated values as a list, refused later), and answers in the response metadata', () => {
    const sent: Metadata[] = [];
    const call = { sendMetadata: (m: Metadata) => void sent.push(m) };
    const none = new Metadata();
    expect(grpcDecision(none, call)).toMatchObject({ requestedId: undefined, edge: 'grpc', principal: null });
    const one = new Metadata();
    one.set('x-decision-id', 'risk-7');
    const decision = grpcDecision(one, call);
    expect(decision.requestedId).toBe('risk-7');
    decision.answer('risk-7');
    expect(sent[0].get('x-decision-id')).toEqual(['risk-7']);
    const two = new Metadata();
    two.add('x-decision-id', 'a');
    two.add('x-decision-id', 'b');
    expect(grpcDecision(two, call).requestedId).toEqual(['a', 'b']);
  });
});
