import { parseArgs } from 'node:util';
import { startPubSubEmulator } from '@bnpl/service-launchers';

/**
 * Runs the Pub/Sub emulator in the foreground, for services started as separate processes by hand:
 * `npx nx serve pubsub-emulator -- --port 8085`, then start each service with the printed
 * PUBSUB_EMULATOR_HOST. Ctrl-C stops it; it keeps nothing between runs.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { port: { type: 'string', default: '8085' }, 'project-id': { type: 'string', default: 'bnpl-local' } } });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`--port must be 1..65535, got "${values.port}"`);
  const emulator = await startPubSubEmulator({ port, projectId: values['project-id'] });
  process.stdout.write(`Pub/Sub emulator listening. For the services:\n  export MESSAGING=pubsub PUBSUB_EMULATOR_HOST=${emulator.host} PUBSUB_PROJECT_ID=${emulator.projectId}\n`);
  const stop = () => void emulator.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
