import { runParityCli } from './run-parity';

// Entry point: `npm run parity -- --entity customer [--from 1 --to 100000] ...`; reads the services'
// DATABASE_URL, ONLINE_STORE, REDIS_URL, ... Ctrl-C stops between chunks.
const controller = new AbortController();
process.once('SIGINT', () => controller.abort(new Error('interrupted')));
runParityCli(process.argv.slice(2), { env: process.env, out: process.stdout, err: process.stderr, cwd: process.cwd(), signal: controller.signal }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error) => {
    process.stderr.write(`parity: ${error.stack ?? error.message}\n`);
    process.exitCode = 3;
  },
);
