// The PromQL of ci/grafana/k6-llm.json as Grafana would send it: every
// panel target (rows' nested panels included) and every template variable's
// label_values() query, with Grafana's variables substituted.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The dashboard file docs/live-metrics.md points users to. */
export function dashboardPath(root: string): string {
  return join(root, 'ci', 'grafana', 'k6-llm.json');
}

interface Target {
  refId: string;
  expr: string;
  instant?: boolean;
}

interface Panel {
  title: string;
  type: string;
  targets?: Target[];
  panels?: Panel[];
}

/** One panel query. */
export interface DashboardQuery {
  panel: string;
  refId: string;
  expr: string;
  /** An instant query (a bar gauge over the time range), else a range query. */
  instant: boolean;
}

/** A template variable's label_values(METRIC_SELECTOR, LABEL) query. */
export interface VariableQuery {
  name: string;
  match: string;
  label: string;
}

interface Dashboard {
  panels: Panel[];
  templating: { list: { name: string; type: string; definition?: string }[] };
}

/** Reads the dashboard JSON. */
export function readDashboard(path: string): Dashboard {
  return JSON.parse(readFileSync(path, 'utf8')) as Dashboard;
}

/** Every panel target, in dashboard order. */
export function dashboardQueries(dashboard: Dashboard): DashboardQuery[] {
  const out: DashboardQuery[] = [];
  const walk = (panels: Panel[]) => {
    for (const p of panels) {
      for (const t of p.targets ?? []) out.push({ panel: p.title, refId: t.refId, expr: t.expr, instant: t.instant === true });
      walk(p.panels ?? []);
    }
  };
  walk(dashboard.panels);
  return out;
}

/** The query variables' label_values() calls. */
export function variableQueries(dashboard: Dashboard): VariableQuery[] {
  const out: VariableQuery[] = [];
  for (const v of dashboard.templating.list) {
    if (v.type !== 'query') continue;
    const m = /^label_values\((.+),\s*(\w+)\)$/.exec(v.definition ?? '');
    if (!m) throw new Error(`variable ${v.name}: expected label_values(selector, label), got ${v.definition}`);
    out.push({ name: v.name, match: m[1] as string, label: m[2] as string });
  }
  return out;
}

/** Replaces $name / ${name} with the given values (longest names first, so $__rate_interval is not read as $__rate). */
export function substitute(expr: string, values: Record<string, string>): string {
  let out = expr;
  for (const name of Object.keys(values).sort((a, b) => b.length - a.length)) {
    out = out.split(`\${${name}}`).join(values[name] as string).split(`$${name}`).join(values[name] as string);
  }
  const left = /\$\{?\w+/.exec(out);
  if (left) throw new Error(`unsubstituted Grafana variable ${left[0]} in ${expr}`);
  return out;
}

/** Metric names a PromQL expression reads (k6_… identifiers). */
export function metricNames(expr: string): string[] {
  return [...new Set(expr.match(/\bk6_[a-z0-9_]+/g) ?? [])];
}
