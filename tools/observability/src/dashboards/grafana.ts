/**
 * A small builder for Grafana dashboard JSON (schema 39, Grafana 11): rows of panels laid out left to right,
 * every query on the provisioned Prometheus data source (uid `prometheus`). Only what the dashboards here use.
 */

export const PROMETHEUS = { type: 'prometheus', uid: 'prometheus' } as const;

export interface Query {
  readonly expr: string;
  /** Series name in the legend, e.g. `{{route}} {{status_class}}`. */
  readonly legend?: string;
}

export type Unit = 'reqps' | 'ops' | 's' | 'ms' | 'percentunit' | 'bytes' | 'short' | 'none' | 'dateTimeAsIso';

export interface PanelSpec {
  readonly title: string;
  readonly description?: string;
  readonly queries: readonly Query[];
  readonly unit?: Unit;
  /** Width in grid columns (24 = the whole row). Default 12. */
  readonly width?: number;
  /** `stat` shows the last value large; `timeseries` (default) plots it. */
  readonly kind?: 'timeseries' | 'stat';
  /** Stat panels: text for values (the breaker's 0/1/2). */
  readonly valueText?: Readonly<Record<number, { text: string; color: string }>>;
  /** Thresholds (stat background, timeseries lines): [value, color] ascending, the first value ignored. */
  readonly thresholds?: ReadonlyArray<readonly [number | null, string]>;
  /** Stack series (throughput by status). */
  readonly stacked?: boolean;
  readonly min?: number;
  readonly max?: number;
}

export interface RowSpec {
  readonly title: string;
  readonly panels: readonly PanelSpec[];
}

export interface DashboardSpec {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  /** Template variable `instance` over `up{job=...}` (service dashboards). */
  readonly instancesOf?: string;
  readonly rows: readonly RowSpec[];
}

const PANEL_HEIGHT = 8;

/** The dashboard's JSON model, ready to be written as a provisioned file. */
export function dashboard(spec: DashboardSpec): Record<string, unknown> {
  let id = 1;
  let y = 0;
  const panels: Array<Record<string, unknown>> = [];
  for (const row of spec.rows) {
    panels.push({ id: id++, type: 'row', title: row.title, collapsed: false, gridPos: { h: 1, w: 24, x: 0, y }, panels: [] });
    y += 1;
    let x = 0;
    for (const panel of row.panels) {
      const w = panel.width ?? 12;
      if (x + w > 24) {
        x = 0;
        y += PANEL_HEIGHT;
      }
      panels.push(panelJson(panel, id++, { h: PANEL_HEIGHT, w, x, y }));
      x += w;
    }
    y += PANEL_HEIGHT;
  }
  return {
    uid: spec.uid,
    title: spec.title,
    description: spec.description,
    tags: ['bnpl-feature-store'],
    timezone: 'utc',
    editable: false,
    graphTooltip: 1,
    schemaVersion: 39,
    version: 1,
    refresh: '30s',
    time: { from: 'now-1h', to: 'now' },
    links: [{ title: 'BNPL Feature Store', type: 'dashboards', tags: ['bnpl-feature-store'], asDropdown: true, includeVars: false, keepTime: true }],
    templating: { list: spec.instancesOf ? [instanceVariable(spec.instancesOf)] : [] },
    annotations: { list: [] },
    panels,
  };
}

function instanceVariable(job: string): Record<string, unknown> {
  return {
    name: 'instance',
    label: 'instance',
    type: 'query',
    datasource: PROMETHEUS,
    query: { qryType: 1, query: `label_values(up{job="${job}"}, instance)`, refId: 'PrometheusVariableQueryEditor-VariableQuery' },
    definition: `label_values(up{job="${job}"}, instance)`,
    refresh: 2,
    includeAll: true,
    multi: true,
    allValue: '.*',
    current: { selected: true, text: ['All'], value: ['$__all'] },
    sort: 1,
  };
}

function panelJson(panel: PanelSpec, id: number, gridPos: Record<string, number>): Record<string, unknown> {
  const kind = panel.kind ?? 'timeseries';
  const thresholds = {
    mode: 'absolute',
    steps: (panel.thresholds ?? [[null, 'green']]).map(([value, color]) => ({ value, color })),
  };
  const defaults: Record<string, unknown> = {
    unit: panel.unit ?? 'short',
    thresholds,
    ...(panel.min === undefined ? {} : { min: panel.min }),
    ...(panel.max === undefined ? {} : { max: panel.max }),
    ...(panel.valueText
      ? { mappings: [{ type: 'value', options: Object.fromEntries(Object.entries(panel.valueText).map(([value, { text, color }], index) => [value, { text, color, index }])) }] }
      : {}),
    ...(kind === 'timeseries'
      ? {
          custom: {
            drawStyle: 'line',
            lineWidth: 1,
            fillOpacity: panel.stacked ? 30 : 10,
            showPoints: 'never',
            spanNulls: false,
            stacking: { mode: panel.stacked ? 'normal' : 'none', group: 'A' },
            thresholdsStyle: { mode: panel.thresholds ? 'line' : 'off' },
          },
        }
      : {}),
  };
  return {
    id,
    type: kind,
    title: panel.title,
    ...(panel.description ? { description: panel.description } : {}),
    datasource: PROMETHEUS,
    gridPos,
    fieldConfig: { defaults, overrides: [] },
    options:
      kind === 'stat'
        ? { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, colorMode: 'background', graphMode: 'none', textMode: 'auto', orientation: 'auto', justifyMode: 'auto' }
        : { legend: { displayMode: 'list', placement: 'bottom', showLegend: true }, tooltip: { mode: 'multi', sort: 'desc' } },
    targets: panel.queries.map((query, i) => ({
      refId: String.fromCharCode(65 + i),
      datasource: PROMETHEUS,
      expr: query.expr,
      legendFormat: query.legend ?? '__auto',
      range: true,
    })),
  };
}

/** The file content of a dashboard: two-space JSON and a final newline. */
export function renderDashboard(model: Record<string, unknown>): string {
  return `${JSON.stringify(model, null, 2)}\n`;
}
