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
  const other = report.rampBy === 'concurrency' ? `${num(p.rate, 2)} requests/s` : `≈${num(p.concurrency, 1)} streams in flight`;
  return `${levelText(report, p.level)} (${other}, ${num(p.outputTokensPerSecond, 0)} output tokens/s, TTFT p95 ${num(p.ttftP95Ms, 0)} ms)`;
}

const COLUMNS: Array<[string, number, (r: LevelRow, report: RampReport) => string]> = [
  ['level', 7, (r) => String(r.level)],
  ['conc', 7, (r, rep) => (rep.rampBy === 'concurrency' ? String(r.level) : num(r.achievedConcurrency))],
  ['req/s', 9, (r) => num(r.requestRate, 2)],
  ['tok/s', 8, (r) => num(r.outputTokensPerSecond, 0)],
  ['tok/s/req', 10, (r) => num(r.perRequestTokensPerSecondP50)],
  ['TTFT p50', 9, (r) => num(r.ttftMs?.p50, 0)],
  ['p95', 7, (r) => num(r.ttftMs?.p95, 0)],
  ['p99', 7, (r) => num(r.ttftMs?.p99, 0)],
  ['max', 7, (r) => num(r.ttftMs?.max, 0)],
  ['ITL p95', 8, (r) => num(r.itlP95Ms)],
  ['E2E p95', 8, (r) => num(r.e2eP95Ms, 0)],
  ['ok %', 7, (r) => (r.successRate === null ? '-' : (r.successRate * 100).toFixed(1))],
  ['n', 7, (r) => String(r.requests)],
  ['lag p99', 8, (r) => num(r.generatorLagP99Ms)],
  ['SLO', 6, (r) => (!r.complete ? 'cut' : r.sloOk === null ? '-' : r.sloOk ? 'ok' : 'FAIL')],
];

/** Renders the ramp report for the console. */
export function renderRampText(report: RampReport): string {
  const lines: string[] = [''];
  const s = report.settings;
  lines.push(
    `k6-llm ramp · ${report.rampBy} (${report.unit}) · levels ${report.levels.map((l) => l.level).join(', ')} · ` +
      `${s.levelDurationSeconds} s each, first ${s.warmupSeconds} s discarded · shape ${report.shape} · SLOs ${report.thresholdsSource ?? 'none'}`,
  );
  lines.push('');
  lines.push(COLUMNS.map(([h, w]) => h.padStart(w)).join(''));
  for (const row of report.levels) lines.push(COLUMNS.map(([, w, f]) => f(row, report).padStart(w)).join(''));
  lines.push('  (latencies in ms; tok/s = aggregate output tokens/s; tok/s/req = per-request p50; lag = generator timer lag)');
  lines.push('');
  lines.push(`saturation point: ${pointText(report, report.saturationPoint)}`);
  const limit = report.sloLimit;
  let limitLine = `SLO limit: ${pointText(report, limit)}`;
  if (limit.firstFailingLevel !== null) limitLine += `; ${levelText(report, limit.firstFailingLevel)} broke ${limit.brokenBy.join(', ')}`;
  else if (limit.atOrAbove) limitLine += ' or above: every level met the SLOs';
  lines.push(limitLine);
  const stop = report.stop;
  if (stop.firedAtLevel !== null) {
    const b = stop.breaches.filter((x) => x.level === stop.firedAtLevel);
    const what = b.map((x) => `${x.threshold} failed (measured ${num(x.measured, 3)})`).join(', ');
    lines.push(
      stop.skippedLevels.length
        ? `STOPPED by the stop rule after ${levelText(report, stop.firedAtLevel)}: ${what}; not run: ${stop.skippedLevels.join(', ')}`
        : `stop rule fired at ${levelText(report, stop.firedAtLevel)}, the last level (nothing skipped): ${what}`,
    );
  } else {
    lines.push(`stop rule: ${stop.rule} (did not fire)`);
  }
  for (const w of report.warnings) lines.push(`WARNING: ${w}`);
  lines.push('');
  return lines.join('\n');
}
