import { randomUUID } from 'node:crypto';
import { InMemoryBroker } from './in-memory-broker';
import type { MessageBroker } from './message-broker.port';

describe('InMemoryBroker', () => {
  it('keeps namespaces apart and refuses work once closed', async () => {
    const a: MessageBroker = new InMemoryBroker({ namespace: randomUUID() });
    const b = new InMemoryBroker({ namespace: randomUUID() });
    const received: string[] = [];
    const spec = { topic: 't', subscription: 's', deadLetterTopic: 's.dlq', maxDeliveries: 5, maxInFlight: 1, drainTimeoutMs: 100 };
    await a.subscribe(spec, (d) => (received.push(Buffer.from(d.data).toString()), d.ack()), () => undefined);
    await b.publish('t', Buffer.from('other namespace'));
    await a.publish('t', Buffer.from('mine'));
    await new Promise((r) => setTimeout(r, 20));
    expect(received).toEqual(['mine']);
    await a.close();
    await expect(a.publish('t', Buffer.from('late'))).rejects.toThrow(/closed/);
    await expect(a.ping()).rejects.toMatchObject({ reason: 'MESSAGING_UNAVAILABLE' });
    await expect(b.ping()).resolves.toBeUndefined();
  });
});
