import { readFileSync, writeFileSync } from 'node:fs';
import { bnplCatalog } from '@bnpl/feature-definitions';
import { renderCatalogMarkdown, replaceCatalogBlock } from './render-catalog';

// Prints the BNPL catalog as Markdown; `--write README.md` refreshes the README's generated block.
const [flag, file] = process.argv.slice(2);
const block = renderCatalogMarkdown(bnplCatalog);
if (flag === '--write' && file) writeFileSync(file, replaceCatalogBlock(readFileSync(file, 'utf8'), block));
else process.stdout.write(block + '\n');
