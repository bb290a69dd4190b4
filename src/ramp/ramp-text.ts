// The ramp's console table: one line per level, then the saturation point,
// the SLO limit and what the stop rule did. Pure.

import type { LevelRow, RampPoint, RampReport } from './ramp-report.ts';

function num(n: number | null | undefined, digits = 1): string {
  return n === null || n === undefined || !Number.isFinite(n) ? '-' : n.toFixed(digits);
}

/** A level value with its unit, e.g. "16 streams" or "2.5 requests/s". */
export function levelText(report: Pick<RampReport, 'unit'>, level: number | null): string {
  return level === null ? 'not found' : `${level} ${report.unit}`;
}

/** One point as a line: level, its load in the other unit, throughput, TTFT p95. */
export function pointText(report: RampReport, p: RampPoint): string {
  if (p.level === null) return `not found (${p.reason})`;
  const other = report.ramp_by === 'concurrency' ? `${num(p.rate, 2)} requests/s` : `≈${num(p.concurrency, 1)} streams in flight`;
  return `${levelText(report, p.level)} (${other}, ${num(p.output_tokens_per_second, 0)} output tokens/s, TTFT p95 ${num(p.ttft_p95_ms, 0)} ms)`;
}

const COLUMNS: Array<[string, number, (r: LevelRow, report: RampReport) => string]> = [
  ['level', 7, (r) => String(r.level)],
  ['conc', 7, (r, rep) => (rep.ramp_by === 'concurrency' ? String(r.level) : num(r.achieved_concurrency))],
  ['req/s', 9, (r) => num(r.request_rate, 2)],
  ['tok/s', 8, (r) => num(r.output_tokens_per_second, 0)],
  ['tok/s/req', 10, (r) => num(r.per_request_tokens_per_second_p50)],
  ['TTFT p50', 9, (r) => num(r.ttft_ms?.p50, 0)],
  ['p95', 7, (r) => num(r.ttft_ms?.p95, 0)],
  ['p99', 7, (r) => num(r.ttft_ms?.p99, 0)],
  ['max', 7, (r) => num(r.ttft_ms?.max, 0)],
  ['ITL p95', 8, (r) => num(r.itl_p95_ms)],
  ['E2E p95', 8, (r) => num(r.e2e_p95_ms, 0)],
  ['ok %', 7, (r) => (r.success_rate === null ? '-' : (r.success_rate * 100).toFixed(1))],
  ['n', 7, (r) => String(r.requests)],
  ['lag p99', 8, (r) => num(r.generator_lag_p99_ms)],
  ['SLO', 6, (r) => (!r.complete ? 'cut' : r.slo_ok === null ? '-' : r.slo_ok ? 'ok' : 'FAIL')],
];

/** Renders the ramp report for the console. */
export function renderRampText(report: RampReport): string {
  const lines: string[] = [''];
  const s = report.settings;
  lines.push(
    `k6-llm ramp · ${report.ramp_by} (${report.unit}) · levels ${report.levels.map((l) => l.level).join(', ')} · ` +
      `${s.level_duration_s} s each, first ${s.warmup_s} s discarded · shape ${report.shape} · SLOs ${report.thresholds_source ?? 'none'}`,
  );
  lines.push('');
  lines.push(COLUMNS.map(([h, w]) => h.padStart(w)).join(''));
  for (const row of report.levels) lines.push(COLUMNS.map(([, w, f]) => f(row, report).padStart(w)).join(''));
  lines.push('  (latencies in ms; tok/s = aggregate output tokens/s; tok/s/req = per-request p50; lag = generator timer lag)');
  lines.push('');
  lines.push(`saturation point: ${pointText(report, report.saturation_point)}`);
  const limit = report.slo_limit;
  let limitLine = `SLO limit: ${pointText(report, limit)}`;
  if (limit.first_failing_level !== null) limitLine += `; ${levelText(report, limit.first_failing_level)} broke ${limit.broken_by.join(', ')}`;
  else if (limit.at_or_above) limitLine += ' or above: every level met the SLOs';
  lines.push(limitLine);
  const stop = report.stop;
  if (stop.fired_at_level !== null) {
    const b = stop.breaches.filter((x) => x.level === stop.fired_at_level);
    const what = b.map((x) => `${x.threshold} failed (measured ${num(x.measured, 3)})`).join(', ');
    lines.push(
      stop.skipped_levels.length
        ? `STOPPED by the stop rule after ${levelText(report, stop.fired_at_level)}: ${what}; not run: ${stop.skipped_levels.join(', ')}`
        : `stop rule fired at ${levelText(report, stop.fired_at_level)}, the last level (nothing skipped): ${what}`,
    );
  } else {
    lines.push(`stop rule: ${stop.rule} (did not fire)`);
  }
  for (const w of report.warnings) lines.push(`WARNING: ${w}`);
  lines.push('');
  return lines.join('\n');
}
