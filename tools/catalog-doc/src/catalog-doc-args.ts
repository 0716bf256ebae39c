/**
 * Command-line arguments of the catalog document -> what to do. Pure (argv in, command or UsageError out),
 * so it is unit-tested; main.ts prints a UsageError with the help and exits 2.
 */
import { Command } from 'commander';
import { parseCommandLine, UsageError } from '@bnpl/command-line';

export { UsageError };

export type CatalogDocCommand = { readonly kind: 'help'; readonly text: string } | { readonly kind: 'print' } | { readonly kind: 'write'; readonly file: string };

function program(): Command {
  return new Command('catalog-doc')
    .description('Prints the BNPL feature catalog as Markdown.')
    .option('--write <file>', "refresh the catalog block of this Markdown file (between its catalog:begin and catalog:end comments) instead of printing")
    .helpOption('-h, --help', 'this text')
    .addHelpText('after', '\nRun: node -r ./tools/register.cjs tools/catalog-doc/src/main.ts [--write README.md]\n(npx nx write-readme catalog-doc refreshes README.md).');
}

/** The help text, to print after a usage error: what --help prints, its closing lines included. */
export function catalogDocHelp(): string {
  const line = parseCommandLine(program(), ['--help']);
  return line.kind === 'help' ? line.text : '';
}

/** Parses argv (without node and the script). */
export function parseCatalogDocArgs(argv: readonly string[]): CatalogDocCommand {
  const line = parseCommandLine<{ write?: string }>(program(), argv);
  if (line.kind === 'help') return line;
  const file = line.options.write;
  if (file === undefined) return { kind: 'print' };
  if (file.trim() === '') throw new UsageError('--write must name a file');
  return { kind: 'write', file };
}
