import { writeFileSync } from 'node:fs';
import { EXIT_USAGE } from '@bnpl/command-line';
import { bnplCatalog } from '@bnpl/feature-definitions';
import { ALL_CHECKS } from './checks/all-checks';
import { parseDeployChecksArgs, USAGE, UsageError } from './deploy-checks-args';
import { featureHistorySchemas, renderSchemas } from './feature-history-schema';
import { TerraformConfig } from './hcl/terraform-config';

// deploy-checks check <terraform root>        prints every broken invariant; exit 1 if any
// deploy-checks write-schema <json file>      writes the feature-history tables' schemas from the catalog
async function main(argv: readonly string[]): Promise<number> {
  let command;
  try {
    command = parseDeployChecksArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`error: ${error.message}\n${USAGE}`);
    return EXIT_USAGE;
  }
  if (command.kind === 'help') {
    process.stdout.write(command.text);
    return 0;
  }
  if (command.kind === 'write-schema') {
    writeFileSync(command.file, renderSchemas(featureHistorySchemas(bnplCatalog)));
    return 0;
  }
  const config = await TerraformConfig.load(command.terraformDir);
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

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
