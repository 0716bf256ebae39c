/**
 * Where a CPU profile's time went: self time by category (libs/<lib>, apps/<app>, node_modules/<package>,
 * node:internal, the garbage collector, V8's (program), idle) and by function, as percentages of the busy
 * (non-idle) time. Several files are summed (the workers of one service each write one).
 *
 *   node -r ./tools/register.cjs tools/bench/src/profile/summarise-cpu-profile.ts FILE.cpuprofile [FILE ...] [--top 25]
 *
 * The profiles come from `node --cpu-prof` (the hot-path benchmark's `--profile` writes them).
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Command } from 'commander';
import { EXIT_USAGE, parseCommandLine, parseIntegerFlag, UsageError } from '@bnpl/command-line';
import { WORKSPACE_ROOT } from '@bnpl/testing';
import { formatProfileSummary, summariseProfiles, type CpuProfile, type ProfileSummary, type ProfileWindow } from './cpu-profile';

/** Reads and summarises these `.cpuprofile` files together; with `windows`, only the samples inside them. */
export function summariseProfileFiles(files: readonly string[], top = 25, windows?: readonly ProfileWindow[]): ProfileSummary {
  const profiles = files.map((file) => JSON.parse(readFileSync(file, 'utf8')) as CpuProfile);
  return summariseProfiles(profiles, { workspaceRoot: WORKSPACE_ROOT, top, ...(windows ? { windows } : {}) });
}

function main(argv: readonly string[]): number {
  const program = new Command('summarise-cpu-profile').argument('<files...>', '.cpuprofile files, summed').option('--top <n>', 'functions listed', '25');
  try {
    const parsed = parseCommandLine<{ top: string }>(program, argv);
    if (parsed.kind === 'help') {
      process.stdout.write(parsed.text);
      return 0;
    }
    const summary = summariseProfileFiles(parsed.operands, parseIntegerFlag('--top', parsed.options.top, 1));
    process.stdout.write(`${formatProfileSummary(parsed.operands.map((f) => basename(f)).join(', '), summary)}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`error: ${error.message}\n`);
    return EXIT_USAGE;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
