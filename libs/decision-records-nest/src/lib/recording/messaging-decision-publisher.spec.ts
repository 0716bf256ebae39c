import { batchOf, sampleChain } from '@bnpl/decision-records';
import { BrokerPublisher, InMemoryBroker, decisionRecordsTopic, type Delivery } from '@bnpl/messaging';
import { DECISIONS_SUBSCRIPTION, MessagingDecisionPublisher } from './messaging-decision-publisher';

const spec = { topic: decisionRecordsTopic.name, subscription: DECISIONS_SUBSCRIPTION, deadLetterTopic: `${DECISIONS_SUBSCRIPTION}.dlq`, maxDeliveries: 5, maxInFlight: 10, drainTimeoutMs: 100 };

describe('MessagingDecisionPublisher', () => {
  it('declares the sink subscription before its first publish, so a batch published before any sink started is kept', async () => {
    const broker = new InMemoryBroker({ namespace: `decisions-${Math.random()}` });
    const publisher = new MessagingDecisionPublisher(new BrokerPublisher(broker), broker, 5);
    const batch = batchOf(sampleChain('rest-gateway:20261201T100000Z:0123456789ab', 2));
    await publisher.publish(batch);

    // The sink starts only now: the batch waited in its subscription.
    const received: Delivery[] = [];
    const sink = await broker.subscribe(spec, (d) => (received.push(d), d.ack()));
    // Delivery is asynchronous: wait for it (a loaded machine may take longer than any fixed pause).
    for (let i = 0; i < 500 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(received).toHaveLength(1);
    expect(decisionRecordsTopic.decode(received[0].data)).toMatchObject({ instanceId: batch.instanceId, records: [{ sequence: 1 }, { sequence: 2 }] });
    await sink.close();
    await broker.close();
  });

  it('declares the subscription again after a failed publish (messaging may come back empty)', async () => {
    const broker = new InMemoryBroker({ namespace: `decisions-${Math.random()}` });
    let subscribes = 0;
    const counting = Object.assign(Object.create(broker) as InMemoryBroker, { subscribe: (...args: Parameters<InMemoryBroker['subscribe']>) => (subscribes++, broker.subscribe(...args)) });
    let fail = true;
    const inner = new BrokerPublisher(broker);
    const flaky = { publish: ((...args: Parameters<BrokerPublisher['publish']>) => (fail ? Promise.reject(new Error('UNAVAILABLE')) : inner.publish(...args))) as BrokerPublisher['publish'] };
    const publisher = new MessagingDecisionPublisher(flaky, counting, 5);
    const batch = batchOf(sampleChain('rest-gateway:20261201T100000Z:0123456789ab', 1));
    await expect(publisher.publish(batch)).rejects.toThrow('UNAVAILABLE');
    fail = false;
    await publisher.publish(batch);
    await publisher.publish(batch);
    expect(subscribes).toBe(2);
    await broker.close();
  });
});
