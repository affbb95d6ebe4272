// The chart's Grafana dashboard and Prometheus alerting rules (files/): every metric and label they query is one the
// components register; every expression parses as PromQL (`promtool check rules`, the dashboard's queries as
// recording rules); alerts behave as intended on synthetic series (`promtool test rules`); the dashboard is well formed
// and shows every metric the components export.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import {
  COMPONENTS,
  constructorCount,
  promqlNames,
  type Registered,
  registeredMetrics,
  substituteGrafanaVariables,
} from './metric-names.ts';
import { promtoolBinary, RULES_FILE } from './promtool.ts';
import { byKind, CHART_DIR, helm, kubectl, ok, render, sets } from './tools.ts';

const DASHBOARD_FILE = join(CHART_DIR, 'files', 'grafana-dashboard.json');
const RULES_TEST = join(import.meta.dirname, 'prometheus-rules_test.yaml');
/** Labels Prometheus' Kubernetes service discovery and scrape add to every target's series. */
const TARGET_LABELS = ['namespace', 'pod', 'instance', 'job'];
/** Grafana's reference to the dashboard's data source variable. */
const DATASOURCE = '$' + '{datasource}';

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface Target {
  expr: string;
  refId: string;
  datasource?: { uid?: string };
}
interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: { type?: string; uid?: string };
  targets?: Target[];
}
interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
  annotations: { list: { name: string; expr?: string }[] };
  templating: { list: { name: string; type: string; query?: string | { query: string } }[] };
}

const rules: Rule[] = (parse(readFileSync(RULES_FILE, 'utf8')) as { groups: { rules: Rule[] }[] }).groups.flatMap(
  (g) => g.rules,
);
const dashboard = JSON.parse(readFileSync(DASHBOARD_FILE, 'utf8')) as Dashboard;
const queries = dashboard.panels.filter((p) => p.type !== 'row');

/** Every PromQL expression the two files hold, named by where it is. */
const expressions: { where: string; expr: string }[] = [
  ...rules.map((r) => ({ where: `rule ${r.alert ?? r.record}`, expr: r.expr })),
  ...queries.flatMap((p) => (p.targets ?? []).map((t) => ({ where: `panel "${p.title}" ${t.refId}`, expr: t.expr }))),
  ...dashboard.annotations.list.flatMap((a) => (a.expr ? [{ where: `annotation "${a.name}"`, expr: a.expr }] : [])),
];

const registered: Registered[] = COMPONENTS.flatMap((c) => registeredMetrics(c));
const bySeries = new Map(registered.flatMap((m) => m.series.map((s) => [s, m] as const)));

describe('the metrics the components register', () => {
  it('are read from every prom-client constructor in their source', () => {
    for (const c of COMPONENTS) expect(registeredMetrics(c).length, c).toBe(constructorCount(c));
    expect(bySeries.get('scorer_end_to_end_ms_bucket')?.labels).toEqual(['model_version', 'le']);
    expect(bySeries.get('fraudmodel_rollout_pr_auc')?.labels).toEqual(['namespace', 'name', 'version', 'role']);
    expect(bySeries.get('http_request_duration_seconds_count')?.labels).toEqual([
      'method',
      'route',
      'status_code',
      'le',
    ]);
  });

  it('the PromQL reader finds metric and label names', () => {
    expect(
      promqlNames(
        '1 - sum by (namespace) (rate(a_bucket{le="0.5", v=~"$model_version"}[$__rate_interval])) / ' +
          'sum without(pod) (rate(b_count[15m] offset 1d)) > 1e3 and on (x) c unless histogram_quantile(0.9, d)',
      ),
    ).toEqual({ metrics: ['a_bucket', 'b_count', 'c', 'd'], labels: ['le', 'namespace', 'pod', 'v', 'x'] });
  });
});

describe.each(expressions)('$where', ({ expr }) => {
  it('queries only registered metrics, by their labels', () => {
    const { metrics, labels } = promqlNames(expr);
    expect(metrics.length).toBeGreaterThan(0);
    for (const m of metrics) expect(bySeries.has(m), `${m} is not registered by any component`).toBe(true);
    const known = new Set([...TARGET_LABELS, ...metrics.flatMap((m) => bySeries.get(m)?.labels ?? [])]);
    for (const l of labels) expect(known.has(l), `label ${l} is on none of ${metrics.join(', ')}`).toBe(true);
  });
});

describe('promtool', () => {
  let promtool: string;
  const dir = mkdtempSync(join(tmpdir(), 'monitoring-test-'));
  const run = (args: string[]) => {
    const r = spawnSync(promtool, args, { encoding: 'utf8', timeout: 60_000 });
    return { code: r.status, out: `${r.stdout}${r.stderr}` };
  };
  // A cold build takes about 6 minutes on 2 shared cores; afterwards the cached binary is reused.
  beforeAll(() => {
    promtool = promtoolBinary();
  }, 900_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('checks the rules file', () => {
    const r = run(['check', 'rules', RULES_FILE]);
    expect(r.out).toContain(`SUCCESS: ${rules.length} rules found`);
    expect(r.code).toBe(0);
  });

  it("parses every dashboard query (as recording rules, Grafana's variables substituted)", () => {
    const file = join(dir, 'dashboard-rules.yaml');
    const asRules = expressions
      .filter((e) => !e.where.startsWith('rule '))
      .map((e, i) => ({ record: `dashboard:query_${i}`, expr: substituteGrafanaVariables(e.expr) }));
    writeFileSync(file, stringify({ groups: [{ name: 'dashboard', rules: asRules }] }));
    const r = run(['check', 'rules', file]);
    expect(r.out).toContain(`SUCCESS: ${asRules.length} rules found`);
    expect(r.code).toBe(0);
    // and it does refuse a broken query
    writeFileSync(
      file,
      stringify({ groups: [{ name: 'bad', rules: [{ record: 'x:y', expr: 'sum by (le (rate(a[5m]))' }] }] }),
    );
    expect(run(['check', 'rules', file]).code).toBe(1);
  });

  it('checks the rules as the chart ships them in its PrometheusRule', () => {
    const [rule] = byKind(render(sets({ 'monitoring.prometheusRule.enabled': true })), 'PrometheusRule');
    const file = join(dir, 'chart-rules.yaml');
    writeFileSync(file, stringify(rule?.spec));
    const r = run(['check', 'rules', file]);
    expect(r.out).toContain(`SUCCESS: ${rules.length} rules found`);
  });

  it('passes the alerts unit tests', () => {
    const r = run(['test', 'rules', RULES_TEST]);
    expect(r.out).toContain('SUCCESS');
    expect(r.code).toBe(0);
  });
});

describe('the alerting rules', () => {
  it('are all alerts with a severity, a summary and a description', () => {
    expect(rules.length).toBeGreaterThanOrEqual(15);
    for (const r of rules) {
      expect(r.alert, r.expr).toMatch(/^Fraud[A-Z]\w+$/);
      expect(['critical', 'warning', 'info'], r.alert).toContain(r.labels?.severity);
      expect(r.annotations?.summary, r.alert).toBeTruthy();
      expect(r.annotations?.description, r.alert).toBeTruthy();
    }
    expect(new Set(rules.map((r) => r.alert)).size).toBe(rules.length);
  });
});

describe('the dashboard', () => {
  it('has unique panel ids and targets, each on the data source variable', () => {
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of queries) {
      expect(p.targets?.length, p.title).toBeGreaterThan(0);
      expect(p.datasource?.uid, p.title).toBe(DATASOURCE);
      const refs = (p.targets ?? []).map((t) => t.refId);
      expect(new Set(refs).size, p.title).toBe(refs.length);
      for (const t of p.targets ?? []) expect(t.datasource?.uid, p.title).toBe(DATASOURCE);
    }
  });

  it('lays panels out on the 24-column grid without overlaps', () => {
    const cells = new Map<string, string>();
    for (const p of dashboard.panels) {
      const { x, y, w, h } = p.gridPos;
      expect(x + w, p.title).toBeLessThanOrEqual(24);
      for (let i = x; i < x + w; i++)
        for (let j = y; j < y + h; j++) {
          const key = `${i},${j}`;
          expect(cells.get(key), `${p.title} overlaps ${cells.get(key)}`).toBeUndefined();
          cells.set(key, p.title);
        }
    }
  });

  it('defines every variable its queries use, each from a registered metric and label', () => {
    const vars = new Map(dashboard.templating.list.map((v) => [v.name, v]));
    const used = new Set(
      expressions
        .flatMap((e) => [...e.expr.matchAll(/\$(\w+)/g)].map((m) => m[1] as string))
        .filter((v) => !v.startsWith('__')),
    );
    for (const v of used) expect(vars.has(v), `$${v}`).toBe(true);
    for (const v of vars.values()) {
      if (v.type !== 'query') continue;
      const q = typeof v.query === 'string' ? v.query : v.query?.query;
      const [, metric, label] = q?.match(/^label_values\((\w+), *(\w+)\)$/) ?? [];
      expect(bySeries.get(metric ?? '')?.labels, `$${v.name}: ${q}`).toContain(label);
    }
  });

  it('shows every metric the components register', () => {
    const shown = new Set(
      expressions.filter((e) => !e.where.startsWith('rule ')).flatMap((e) => promqlNames(e.expr).metrics),
    );
    const missing = registered.filter((m) => !m.series.some((s) => shown.has(s))).map((m) => `${m.name} (${m.file})`);
    expect(missing).toEqual([]);
  });
});

describe('in the chart (monitoring.prometheusRule, monitoring.grafanaDashboard)', () => {
  const on = sets({ 'monitoring.prometheusRule.enabled': true, 'monitoring.grafanaDashboard.enabled': true });

  it('ships both files unchanged', () => {
    const docs = render(on);
    const [rule] = byKind(docs, 'PrometheusRule');
    expect(rule?.spec).toEqual(parse(readFileSync(RULES_FILE, 'utf8')));
    const [map] = byKind(docs, 'ConfigMap').filter((m) => m.metadata.labels?.grafana_dashboard === '1');
    const data = (map?.data ?? {}) as Record<string, string>;
    expect(JSON.parse(data['fraud-operator.json'] ?? '')).toEqual(dashboard);
    expect(byKind(render(), 'PrometheusRule')).toEqual([]);
  });

  it('lints clean with both on', () => {
    const r = helm(['lint', '--strict', CHART_DIR, ...on]);
    expect(r.out).toContain('1 chart(s) linted, 0 chart(s) failed');
  });

  it("the dashboard's ConfigMap is accepted by the stack's kube-apiserver (server-side dry run)", () => {
    const docs = render([...sets({ 'monitoring.grafanaDashboard.enabled': true }), '--namespace', 'default']);
    const [map] = byKind(docs, 'ConfigMap').filter((m) => m.metadata.name.endsWith('-dashboard'));
    const out = ok(
      kubectl(['apply', '--dry-run=server', '-f', '-'], JSON.stringify(map)),
      'kubectl apply --dry-run=server',
    );
    expect(out).toMatch(/configmap\/fraud-fraud-operator-dashboard (created|configured) \(server dry run\)/);
  });
});
