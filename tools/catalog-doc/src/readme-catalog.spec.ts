import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bnplCatalog } from '@bnpl/feature-definitions';
import { renderCatalogMarkdown, replaceCatalogBlock } from './render-catalog';

describe('README catalog section', () => {
  it('is the rendering of the catalog in code (run `npx nx write-readme catalog-doc` after changing the catalog)', () => {
    const readme = readFileSync(join(__dirname, '../../../README.md'), 'utf8');
    const block = renderCatalogMarkdown(bnplCatalog);
    expect(replaceCatalogBlock(readme, block)).toBe(readme);
  });

  it('lists every feature of every view and service', () => {
    const block = renderCatalogMarkdown(bnplCatalog);
    for (const view of bnplCatalog.views) for (const f of view.features) expect(block).toContain(`\`${f.name}\``);
    for (const s of bnplCatalog.services) expect(block).toContain(`\`${s.name}\``);
  });
});
