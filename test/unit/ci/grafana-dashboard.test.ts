// ci/grafana/k6-llm.json reads the names k6's Prometheus remote-write output
// gives the llm_* metrics declared in src/k6/metrics.ts (a typo would be an
// empty panel), and covers what docs/live-metrics.md promises. The queries against real
// data are checked in test/k6/prometheus.test.ts.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../../../tools/provision/k6.ts';
import { dashboardPath, dashboardQueries, metricNames, readDashboard, substitute, variableQueries } from '../../k6/dashboard-queries.ts';

const ROOT = repoRoot();
const dashboard = readDashboard(dashboardPath(ROOT));
const GRAFANA = { workload: '.*', model: '.*', __rate_interval: '20s', __range: '1h' };

/** k6's remote-write names (k6 v1.1.0): prefix k6_, Counter _total, Rate _rate, time Trend _seconds (native histogram), else bare. */
function remoteWriteNames(): Map<string, string> {
  const source = readFileSync(join(ROOT, 'src', 'k6', 'metrics.ts'), 'utf8');
  const names = new Map<string, string>();
  for (const m of source.matchAll(/new (Trend|Counter|Rate|Gauge)\('([a-z0-9_]+)'(, true)?\)/g)) {
    const [, type, name, isTime] = m as unknown as [string, string, string, string | undefined];
    const suffix = type === 'Counter' ? '_total' : type === 'Rate' ? '_rate' : type === 'Trend' && isTime ? '_seconds' : '';
    names.set(`k6_${name}${suffix}`, name);
  }
  return names;
}

test('every metric a dashboard query reads is an llm_* metric under the name k6 remote-writes it', () => {
  const known = remoteWriteNames();
  assert.ok(known.size >= 20, `metrics.ts declares ${known.size} metrics`);
  const unknown = dashboardQueries(dashboard).flatMap((q) => metricNames(q.expr).filter((n) => !known.has(n)).map((n) => `${q.panel}: ${n}`));
  const variables = variableQueries(dashboard).flatMap((v) => metricNames(v.match).filter((n) => !known.has(n)).map((n) => `variable ${v.name}: ${n}`));
  assert.deepEqual([...unknown, ...variables], []);
});

test('the dashboard covers TTFT, ITL, tokens/s, success, errors by kind, SLO attainment, schedule and generator lag, and ramp levels', () => {
  const queries = dashboardQueries(dashboard);
  const read = new Set(queries.flatMap((q) => metricNames(q.expr)));
  for (const name of ['k6_llm_ttft_seconds', 'k6_llm_itl_seconds', 'k6_llm_output_tokens_total', 'k6_llm_request_success_rate', 'k6_llm_errors_total', 'k6_llm_slo_attained_rate', 'k6_llm_schedule_lag_seconds', 'k6_llm_generator_lag_seconds']) {
    assert.ok(read.has(name), `no panel reads ${name}`);
  }
  for (const q of [0.5, 0.95, 0.99]) assert.ok(queries.some((x) => x.expr.startsWith(`histogram_quantile(${q}, sum by (workload) (rate(k6_llm_ttft_seconds`)), `TTFT p${q * 100} per workload`);
  assert.ok(queries.some((q) => /by \(workload, error\)/.test(q.expr)), 'errors by kind');
  assert.ok(queries.some((q) => /by \(level\)/.test(q.expr) && q.expr.includes('level_phase="steady"')), 'a per-level panel of the steady window');
});

test('every query is complete once Grafana substitutes its variables; panel ids are unique', () => {
  const queries = dashboardQueries(dashboard);
  assert.ok(queries.length >= 20, `${queries.length} queries`);
  for (const q of queries) assert.doesNotThrow(() => substitute(q.expr, GRAFANA), `${q.panel} ${q.refId}`);
  assert.throws(() => substitute('rate(x[$__interval])', GRAFANA), /unsubstituted Grafana variable \$__interval/);
  const ids: number[] = [];
  const walk = (panels: { id: number; panels?: unknown[] }[]) => panels.forEach((p) => (ids.push(p.id), walk((p.panels ?? []) as { id: number }[])));
  walk(dashboard.panels as unknown as { id: number }[]);
  assert.equal(new Set(ids).size, ids.length);
});

test('every panel aggregates by labels it names, so labels k6 adds to every series (k6 v2.1+: k6_feature_native_histograms) change no panel', () => {
  // The shapes of the dashboard's queries: an aggregation `by (...)`, optionally inside histogram_quantile or divided by a number.
  const aggregated = /^(histogram_quantile\(0\.\d+, )?(sum|min|max) by \([a-z_, ]+\) \(.*\)\)?( \/ \d+)?$/;
  for (const q of dashboardQueries(dashboard)) {
    assert.match(q.expr, aggregated, `${q.panel} ${q.refId}`);
    // Vector matching on all labels would break when only one side carried a new label.
    assert.doesNotMatch(q.expr, /\b(on|ignoring|group_left|group_right)\s*\(|\b(and|or|unless)\b/, `${q.panel} ${q.refId}`);
  }
  // Template variables read one label each: another label on the series leaves their values alone.
  for (const v of variableQueries(dashboard)) assert.ok(['workload', 'model'].includes(v.label), `variable ${v.name}`);
});
