import { EventEmitter } from 'node:events';
import { answerCollection, type PoolMember } from './pool-messages';

/** A worker seen from the primary: answers render requests with `text`, or never (null). */
function fakeMember(index: number, text: string | null): PoolMember & { sent: unknown[] } {
  const events = new EventEmitter();
  const sent: unknown[] = [];
  return {
    index,
    sent,
    send: (message) => {
      sent.push(message);
      const m = message as { bnpl: string; id: number };
      if (m.bnpl === 'metrics-render' && text !== null) setImmediate(() => events.emit('message', { bnpl: 'metrics-rendered', id: m.id, text }));
    },
    on: (event, listener) => void events.on(event, listener),
    off: (event, listener) => void events.off(event, listener),
  };
}

const exposition = (n: number) => `# HELP c Calls\n# TYPE c counter\nc ${n}\n`;

describe('answerCollection (the primary\'s side of a metrics scrape)', () => {
  it('answers the asking worker with every worker\'s metrics, labelled by pool index', async () => {
    const members = [fakeMember(0, exposition(3)), fakeMember(1, exposition(5))];
    answerCollection(members[1], () => members)({ bnpl: 'metrics-collect', id: 7 });
    await new Promise((r) => setTimeout(r, 20));
    expect(members[1].sent.at(-1)).toEqual({ bnpl: 'metrics-collected', id: 7, text: '# HELP c Calls\n# TYPE c counter\nc{worker="0"} 3\nc{worker="1"} 5\n' });
  });

  it('leaves out a worker that does not answer in time', async () => {
    const members = [fakeMember(0, exposition(3)), fakeMember(1, null)];
    answerCollection(members[0], () => members, 30)({ bnpl: 'metrics-collect', id: 1 });
    await new Promise((r) => setTimeout(r, 80));
    expect(members[0].sent.at(-1)).toEqual({ bnpl: 'metrics-collected', id: 1, text: '# HELP c Calls\n# TYPE c counter\nc{worker="0"} 3\n' });
  });

  it('ignores messages that are not collection requests', async () => {
    const members = [fakeMember(0, exposition(1))];
    const handler = answerCollection(members[0], () => members);
    handler({ bnpl: 'something-else', id: 1 });
    handler('text');
    handler(null);
    await new Promise((r) => setTimeout(r, 20));
    expect(members[0].sent).toEqual([]);
  });
});
