import { writeFileSync } from 'node:fs';
import { bnplCatalog } from '@bnpl/feature-definitions';
import { ALL_CHECKS } from './checks/all-checks';
import { featureHistorySchemas, renderSchemas } from './feature-history-schema';
import { TerraformConfig } from './hcl/terraform-config';

// deploy-checks check <terraform root>        prints every broken invariant; exit 1 if any
// deploy-checks write-schema <json file>      writes the feature-history tables' schemas from the catalog
async function main(command: string | undefined, path: string | undefined): Promise<number> {
  if (command === 'write-schema' && path) {
    writeFileSync(path, renderSchemas(featureHistorySchemas(bnplCatalog)));
    return 0;
  }
  if (command === 'check' && path) {
    const config = await TerraformConfig.load(path);
    let failed = 0;
    for (const [name, check] of Object.entries(ALL_CHECKS)) {
      const problems = check(config);
      failed += problems.length;
      console.log(`${problems.length ? 'FAIL' : 'ok  '} ${name}`);
      for (const p of problems) console.log(`     ${p}`);
    }
    console.log(`${config.fileNames.length} files, ${failed} problem(s)`);
    return failed ? 1 : 0;
  }
  console.error('usage: main.ts check <terraform dir> | write-schema <json file>');
  return 2;
}

main(process.argv[2], process.argv[3]).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
