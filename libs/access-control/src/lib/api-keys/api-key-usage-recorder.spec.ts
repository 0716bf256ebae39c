import { ApiKeyUsageRecorder } from './api-key-usage-recorder';

describe('ApiKeyUsageRecorder', () => {
  it('writes each batch of used keys once, and keeps a failed batch for the next', async () => {
    const writes: string[][] = [];
    let fail = true;
    const errors: unknown[] = [];
    const recorder = new ApiKeyUsageRecorder(
      {
        touch: async (ids) => {
          if (fail) throw new Error('down');
          writes.push([...ids]);
        },
      },
      60_000,
      (e) => errors.push(e),
    );
    recorder.used('a');
    recorder.used('a');
    recorder.used('b');
    await recorder.flush();
    expect(errors).toHaveLength(1);
    fail = false;
    recorder.used('c');
    await recorder.close();
    expect(writes).toEqual([['a', 'b', 'c']]);
    await recorder.flush();
    expect(writes).toHaveLength(1);
  });
});
