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
});
