import { runCli } from './program';

// Entry point: `npm run fs -- <command>`; BNPL_API_URL overrides the default gateway address. File paths
// of training sets are sent as given: they are relative to the batch-processor's job files root.
runCli(process.argv.slice(2), { out: process.stdout, err: process.stderr, defaultApi: process.env.BNPL_API_URL ?? 'http://127.0.0.1:3000', defaultApiKey: process.env.BNPL_API_KEY || undefined }).then((code) => {
  process.exitCode = code;
});
