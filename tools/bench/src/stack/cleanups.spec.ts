import { Cleanups } from './cleanups';

describe('Cleanups', () => {
  it('runs steps newest first, once, reporting failures without stopping', async () => {
    const order: string[] = [];
    const reports: string[] = [];
    const cleanups = new Cleanups();
    cleanups.add('database', () => void order.push('database'));
    cleanups.add('service', () => {
      throw new Error('already gone');
    });
    cleanups.add('client', async () => void order.push('client'));
    await Promise.all([cleanups.runAll((m) => reports.push(m)), cleanups.runAll((m) => reports.push(m))]);
    await cleanups.runAll((m) => reports.push(m));
    expect(order).toEqual(['client', 'database']);
    expect(reports).toEqual(['while stopping service: already gone']);
  });

  it('on SIGINT or SIGTERM runs every step, then exits 130 or 143', async () => {
    const handlers = new Map<string, () => void>();
    const once = jest.spyOn(process, 'once').mockImplementation(((signal: string, handler: () => void) => {
      handlers.set(signal, handler);
      return process;
    }) as never);
    const exits: number[] = [];
    const exit = jest.spyOn(process, 'exit').mockImplementation(((code: number) => void exits.push(code)) as never);
    try {
      for (const [signal, code] of [['SIGTERM', 143], ['SIGINT', 130]] as const) {
        const stopped: string[] = [];
        const cleanups = new Cleanups();
        cleanups.add('redis-server', () => void stopped.push('redis-server'));
        cleanups.exitOnSignals(() => undefined);
        handlers.get(signal)?.();
        await new Promise((resolve) => setImmediate(resolve));
        expect(stopped).toEqual(['redis-server']);
        expect(exits.at(-1)).toBe(code);
      }
    } finally {
      once.mockRestore();
      exit.mockRestore();
    }
  });
});
