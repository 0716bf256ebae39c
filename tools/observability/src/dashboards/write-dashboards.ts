/**
 * Writes the Grafana dashboards (deploy/observability/grafana/dashboards/*.json) from dashboards.ts:
 * `npx nx run observability-checks:write-dashboards`. The files are generated: edit dashboards.ts.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { allDashboards, DASHBOARDS_DIR } from './dashboards';
import { renderDashboard } from './grafana';

for (const [file, model] of Object.entries(allDashboards())) {
  writeFileSync(join(DASHBOARDS_DIR, file), renderDashboard(model));
  process.stdout.write(`wrote ${file}\n`);
}
