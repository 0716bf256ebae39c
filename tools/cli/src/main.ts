import { runCli } from './program';

// Entry point: `npm run fs -- <command>`; BNPL_API_URL overrides the default gateway address. npm runs
// scripts in the repository root and says where it was called from in INIT_CWD: relative paths are the caller's.
const cwd = process.env.INIT_CWD ?? process.cwd();
runCli(process.argv.slice(2), { out: process.stdout, err: process.stderr, defaultApi: process.env.BNPL_API_URL ?? 'http://127.0.0.1:3000', cwd, defaultApiKey: process.env.BNPL_API_KEY || undefined }).then((code) => {
  process.exitCode = code;
});
