import { spawn } from 'node:child_process';
import { processInstance, Supervisor, type Instance } from './supervisor';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An instance the test ends by hand. */
function fakeInstance(): Instance & { crash(): void } {
  let crash!: (how: string) => void;
  const exited = new Promise<string>((r) => (crash = r));
  return { exited, stop: async () => crash('stopped'), crash: () => crash('exit code 1') };
}

describe('Supervisor', () => {
  it('restarts what stops unasked, with a growing delay and a line each time, and stops when asked', async () => {
    const lines: string[] = [];
    const instances: Array<ReturnType<typeof fakeInstance>> = [];
    const launch = async () => {
      const instance = fakeInstance();
      instances.push(instance);
      return instance;
    };
    const supervisor = new Supervisor('svc', launch, (l) => lines.push(l), { initialMs: 10, maxMs: 40, stableAfterMs: 60_000 });
    await supervisor.start();
    instances[0].crash();
    await wait(50);
    instances[1].crash();
    await wait(80);
    expect(instances).toHaveLength(3);
    expect(supervisor.restarts).toBe(2);
    expect(lines[0]).toMatch(/^svc stopped \(exit code 1\) after \d+\.\d s: restarting in 10 ms \(restart 1\)$/);
    expect(lines[1]).toBe('svc restarted');
    expect(lines[2]).toMatch(/restarting in 20 ms \(restart 2\)$/);
    await supervisor.stop();
    await wait(30);
    expect(instances).toHaveLength(3);
    expect(supervisor.restarts).toBe(2);
  });

  it('once held, restarts nothing and logs nothing when the instance stops; stop() still stops it', async () => {
    const lines: string[] = [];
    const instances: Array<ReturnType<typeof fakeInstance>> = [];
    const supervisor = new Supervisor('redis-server', async () => {
      const instance = fakeInstance();
      instances.push(instance);
      return instance;
    }, (l) => lines.push(l), { initialMs: 10, maxMs: 40, stableAfterMs: 60_000 });
    await supervisor.start();
    supervisor.hold();
    instances[0].crash();
    await wait(50);
    expect(instances).toHaveLength(1);
    expect(lines).toEqual([]);
    await supervisor.stop();
  });

  it('stops what a restart was launching when stop() is called', async () => {
    const stopped: string[] = [];
    let release!: () => void;
    const launched = new Promise<void>((r) => (release = r));
    let launches = 0;
    const supervisor = new Supervisor('svc', async () => {
      launches++;
      if (launches > 1) await launched;
      const instance = fakeInstance();
      return { ...instance, stop: async () => void stopped.push(`instance ${launches}`) };
    }, () => undefined, { initialMs: 1, maxMs: 1, stableAfterMs: 60_000 });
    await supervisor.start();
    (supervisor.current as ReturnType<typeof fakeInstance>).crash();
    await wait(20);
    expect(launches).toBe(2);
    const stopping = supervisor.stop();
    release();
    await stopping;
    expect(stopped).toEqual(['instance 2']);
  });

  it('keeps trying when a restart fails', async () => {
    const lines: string[] = [];
    let attempts = 0;
    const first = fakeInstance();
    const supervisor = new Supervisor(
      'svc',
      async () => {
        attempts++;
        if (attempts === 1) return first;
        if (attempts === 2) throw new Error('port in use');
        return fakeInstance();
      },
      (l) => lines.push(l),
      { initialMs: 5, maxMs: 20, stableAfterMs: 60_000 },
    );
    await supervisor.start();
    first.crash();
    await wait(80);
    expect(attempts).toBe(3);
    expect(lines).toContainEqual(expect.stringMatching(/could not restart \(port in use\): trying again in 10 ms/));
    expect(supervisor.current).not.toBeNull();
    await supervisor.stop();
  });

  it('watches a real process: a SIGKILLed child is started again', async () => {
    const pids: number[] = [];
    const supervisor = new Supervisor('sleeper', async () => {
      const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
      pids.push(child.pid ?? 0);
      return processInstance(child, 1_000);
    }, () => undefined, { initialMs: 10, maxMs: 10, stableAfterMs: 60_000 });
    await supervisor.start();
    process.kill(pids[0], 'SIGKILL');
    await wait(500);
    expect(pids).toHaveLength(2);
    expect(supervisor.current?.pid).toBe(pids[1]);
    await supervisor.stop();
  });
});
