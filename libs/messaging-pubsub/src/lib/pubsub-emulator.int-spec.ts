import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { PubSub } from '@google-cloud/pubsub';
import { MissingBinaryError, buildPubSubEmulator, makeTempDir, startPubSubEmulator } from '@bnpl/service-launchers';

// The emulator the harness starts (tools/pubsub-emulator, launched by @bnpl/service-launchers): the quirks
// of Debian's pstest it works around, and the launcher's build cache and errors.
describe('Pub/Sub emulator', () => {
  const client = (host: string) => new PubSub({ projectId: 'bnpl-emulator', apiEndpoint: host, emulatorMode: true, universeDomain: 'googleapis.com' });

  it('builds once into the cache, then starts from it in well under a second', async () => {
    const binary = await buildPubSubEmulator();
    expect(existsSync(binary)).toBe(true);
    expect(binary).toMatch(/node_modules\/\.cache\/bnpl\/pubsub-emulator\/[0-9a-f]{16}\/pubsub-emulator$/);
    const started = Date.now();
    const emulator = await startPubSubEmulator();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(emulator.host).toBe(`127.0.0.1:${emulator.port}`);
    expect(emulator.projectId).toBe('bnpl-local');
    await emulator.stop();
  });

  it('answers an RPC it does not implement with UNIMPLEMENTED and keeps serving', async () => {
    const emulator = await startPubSubEmulator();
    const pubsub = client(emulator.host);
    try {
      await expect(pubsub.getSnapshots()).rejects.toMatchObject({ code: 12 });
      const [topic] = await pubsub.createTopic('still-serving');
      expect(topic.name).toBe('projects/bnpl-emulator/topics/still-serving');
    } finally {
      await pubsub.close();
      await emulator.stop();
    }
  });

  it('gives a subscription created without an ack deadline the default of 10 s, at once', async () => {
    const emulator = await startPubSubEmulator();
    const pubsub = client(emulator.host);
    try {
      const [topic] = await pubsub.createTopic('no-deadline');
      const started = Date.now();
      const [subscription] = await topic.createSubscription('no-deadline');
      expect(Date.now() - started).toBeLessThan(2_000);
      const [metadata] = await subscription.getMetadata();
      expect(metadata.ackDeadlineSeconds).toBe(10);
    } finally {
      await pubsub.close();
      await emulator.stop();
    }
  });

  it('stops on stop() and on kill(), freeing its port', async () => {
    for (const how of ['stop', 'kill'] as const) {
      const emulator = await startPubSubEmulator();
      await emulator[how]();
      await expect(canConnect(emulator.port)).resolves.toBe(false);
    }
  });

  it('names the apt packages when go or the pstest sources are missing', async () => {
    const cache = makeTempDir('bnpl-emulator-cache-');
    const path = process.env.PATH;
    try {
      await expect(buildPubSubEmulator({ cacheDir: cache.path, goPath: `${cache.path}/no-gocode` })).rejects.toThrow(
        /cloud\.google\.com\/go\/pubsub\/pstest.*apt-get install -y --no-install-recommends golang-go golang-google-cloud-dev/,
      );
      process.env.PATH = cache.path;
      const error = await buildPubSubEmulator({ cacheDir: cache.path }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MissingBinaryError);
      expect((error as MissingBinaryError).binary).toBe('go');
      expect((error as Error).message).toMatch(/golang-go golang-google-cloud-dev/);
    } finally {
      process.env.PATH = path;
      cache.remove();
    }
  });
});

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    // A connection to itself (Linux may pick the target as the source port when nothing listens) is not the emulator.
    socket.once('connect', () => {
      const self = socket.localPort === port;
      socket.destroy();
      resolve(!self);
    });
    socket.once('error', () => resolve(false));
  });
}
