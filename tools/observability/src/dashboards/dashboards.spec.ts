import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allDashboards, DASHBOARDS_DIR } from './dashboards';
import { renderDashboard } from './grafana';

interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: { uid: string };
  targets?: Array<{ expr: string; datasource: { uid: string } }>;
}

describe('Grafana dashboards', () => {
  const generated = allDashboards();

  it('are the files Grafana loads, as generated (run `npx nx run observability-checks:write-dashboards`)', () => {
    const files = readdirSync(DASHBOARDS_DIR).filter((f) => f.endsWith('.json')).sort();
    expect(files).toEqual(Object.keys(generated).sort());
    for (const [file, model] of Object.entries(generated)) expect({ file, content: readFileSync(join(DASHBOARDS_DIR, file), 'utf8') }).toEqual({ file, content: renderDashboard(model) });
  });

  it('an overview and one per service, each with a unique uid, panels with unique ids inside the 24-column grid, every query on the provisioned Prometheus', () => {
    const models = Object.values(generated);
    expect(models.map((m) => m['uid'])).toEqual(['bnpl-overview', 'bnpl-rest-gateway', 'bnpl-grpc-serving', 'bnpl-batch-processor', 'bnpl-cdc-ingestor']);
    for (const model of models) {
      const panels = model['panels'] as Panel[];
      expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
      for (const panel of panels) {
        expect(panel.gridPos.x + panel.gridPos.w).toBeLessThanOrEqual(24);
        if (panel.type === 'row') continue;
        expect({ panel: panel.title, datasource: panel.datasource?.uid }).toEqual({ panel: panel.title, datasource: 'prometheus' });
        expect(panel.targets?.length).toBeGreaterThan(0);
        for (const target of panel.targets ?? []) expect(target.expr.split('(').length).toBe(target.expr.split(')').length);
      }
    }
  });

  it('service dashboards filter by an instance variable of their own job', () => {
    for (const job of ['rest-gateway', 'grpc-serving', 'batch-processor', 'cdc-ingestor']) {
      const model = generated[`${job}.json`];
      const exprs = (model['panels'] as Panel[]).flatMap((p) => p.targets ?? []).map((t) => t.expr);
      expect(JSON.stringify((model['templating'] as { list: unknown[] }).list)).toContain(`label_values(up{job=\\"${job}\\"}, instance)`);
      expect(exprs.filter((e) => !e.includes(`job="${job}", instance=~"$instance"`) && !e.includes('bnpl_batch_shards_queued_total'))).toEqual([]);
    }
  });
});
