/**
 * Command-line arguments of the deployment checks -> what to do. Pure (argv in, command or UsageError out),
 * so it is unit-tested; main.ts prints a UsageError with USAGE and exits 2.
 */
import { Command } from 'commander';
import { parseCommandLine, UsageError } from '@bnpl/command-line';

export { UsageError };

export const USAGE = 'usage: main.ts check <terraform dir> | write-schema <json file>';

export type DeployChecksCommand =
  | { readonly kind: 'help'; readonly text: string }
  | { readonly kind: 'check'; readonly terraformDir: string }
  | { readonly kind: 'write-schema'; readonly file: string };

/** Parses argv (without node and the script). */
export function parseDeployChecksArgs(argv: readonly string[]): DeployChecksCommand {
  let chosen: DeployChecksCommand | undefined;
  const program = new Command('deploy-checks')
    .description('Checks the Terraform deployment against its invariants, and writes the schemas it takes from the feature catalog.')
    .helpOption('-h, --help', 'this text');
  program
    .command('check')
    .description('print every broken invariant; exit 1 if any')
    .argument('<terraform-dir>', 'the Terraform root, e.g. deploy/terraform')
    .action((terraformDir: string) => void (chosen = { kind: 'check', terraformDir }));
  program
    .command('write-schema')
    .description("write the feature-history tables' schemas, from the catalog, as JSON")
    .argument('<json-file>', 'e.g. deploy/terraform/schemas/feature-history.json')
    .action((file: string) => void (chosen = { kind: 'write-schema', file }));
  const line = parseCommandLine(program, argv);
  if (line.kind === 'help') return line;
  // Commander has run the action of the subcommand given, or refused the line.
  if (chosen === undefined) throw new UsageError('Expected a command: check or write-schema');
  return chosen;
}
