import { readFileSync, writeFileSync } from 'node:fs';
import { EXIT_USAGE } from '@bnpl/command-line';
import { bnplCatalog } from '@bnpl/feature-definitions';
import { catalogDocHelp, parseCatalogDocArgs, UsageError } from './catalog-doc-args';
import { renderCatalogMarkdown, replaceCatalogBlock } from './render-catalog';

// Prints the BNPL catalog as Markdown; `--write README.md` refreshes the README's generated block.
function main(argv: readonly string[]): number {
  let command;
  try {
    command = parseCatalogDocArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`error: ${error.message}\n\n${catalogDocHelp()}`);
    return EXIT_USAGE;
  }
  if (command.kind === 'help') {
    process.stdout.write(command.text);
    return 0;
  }
  const block = renderCatalogMarkdown(bnplCatalog);
  if (command.kind === 'write') writeFileSync(command.file, replaceCatalogBlock(readFileSync(command.file, 'utf8'), block));
  else process.stdout.write(block + '\n');
  return 0;
}

process.exitCode = main(process.argv.slice(2));
