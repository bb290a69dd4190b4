// The console summary: one table of latency percentiles per workload, then
// its counts, rates and sections (arrivals, batch, cold start, availability),
// the generator self-check, the thresholds and the warnings.

import type { AvailabilityReport } from '../measure/availability.ts';
import type { ColdStartReport } from './coldstart-report.ts';
import { formatMeasured, imagesLine, pad, promptCacheLine, reasoningSplit, resendLine, round, timingLine } from './format.ts';
import type { Percentiles } from '../k6-summary-data.ts';
import { EMBEDDINGS_NOT_APPLICABLE } from './build.ts';
import type { LlmReport } from './schema.ts';

/** Renders the report as the console summary. */
export function renderText(report: LlmReport): string {
  const lines: string[] = [];
  const run = report.run;
  lines.push('');
  lines.push(
    `k6-llm summary · model ${run.model ?? '?'} · transport ${run.transport ?? '?'} · ` +
      `${round((report.testRunDurationMs ?? 0) / 1000)} s run`,
  );
  for (const [name, w] of Object.entries(report.workloads)) {
    lines.push('');
    lines.push(`workload ${name}`);
    lines.push(`  ${pad('', 22)}${['p50', 'p90', 'p95', 'p99', 'max', 'mean', 'n'].map((h) => pad(h, 10, true)).join('')}`);
    const row = (label: string, p: Percentiles | null): void => {
      if (!p) {
        lines.push(`  ${pad(label, 22)}${pad('not measured', 10, true)}`);
        return;
      }
      const cells = [p.p50, p.p90, p.p95, p.p99, p.max, p.avg].map((v) => pad(round(v), 10, true));
      lines.push(`  ${pad(label, 22)}${cells.join('')}${pad(Number.isFinite(p.count) ? String(p.count) : '-', 10, true)}`);
    };
    const e = w.embeddings ?? null;
    // Embeddings are one body per request: only E2E is defined, and the table says so.
    const generated = (label: string, p: Percentiles | null): void => {
      if (e) lines.push(`  ${pad(label, 22)}${pad(EMBEDDINGS_NOT_APPLICABLE, 10, true)}`);
      else row(label, p);
    };
    generated('TTFT (ms)', w.ttftMs);
    generated('TTFO (ms)', w.ttfoMs ?? null);
    generated('ITL (ms)', w.itlMs);
    generated('TPOT (ms)', w.tpotMs);
    row('E2E (ms)', w.e2eMs);
    generated('tokens/s per request', w.outputTokensPerSecondPerRequest);
    if (w.arrivals) row('schedule lag (ms)', w.arrivals.lagMs);
    const success = w.successRate === null ? 'n/a' : `${(w.successRate * 100).toFixed(2)} %`;
    const errors = Object.entries(w.errors).map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
    lines.push(
      `  requests ${w.requests} (${round(w.requestsPerSecond ?? NaN, 2)}/s) · success ${success} · errors: ${errors}` +
        (w.interrupted ? ` · ${w.interrupted} cut by the end of the test (not counted)` : ''),
    );
    if (w.errorCause) lines.push(`  cause: ${w.errorCause}`);
    if (w.connectionResends) lines.push(`  ${resendLine(w.connectionResends)}`);
    const timing = timingLine(w);
    if (timing) lines.push(`  ${timing}`);
    const estimated = w.outputTokensEstimated > 0 ? ` (${w.outputTokensEstimated} estimated)` : '';
    if (e) {
      lines.push(
        `  embeddings: ${e.inputs} inputs (${e.inputsPerRequest} per request) · ${round(e.inputsPerSecond ?? NaN)} inputs/s · ` +
          `${round(e.inputTokensPerSecond ?? NaN)} input tokens/s over the job (${round((e.overMs ?? NaN) / 1000, 2)} s) · input tokens ${e.inputTokens}`,
      );
    } else {
      lines.push(
        `  output tokens ${w.outputTokens}${estimated} · aggregate ${round(w.aggregateOutputTokensPerSecond ?? NaN)} tokens/s · prompt tokens ${w.promptTokens}`,
      );
      const split = reasoningSplit(w);
      if (split) lines.push(`  ${split}`);
      for (const line of [promptCacheLine(w), imagesLine(w)]) if (line) lines.push(`  ${line}`);
    }
    if (w.arrivals) {
      const a = w.arrivals;
      const rate = a.ratePerSec === null ? '' : ` at ${a.ratePerSec}/s`;
      lines.push(
        `  arrivals ${a.pattern}${rate}: ${a.scheduled} scheduled, ${a.sent} sent, ` +
          `dropped ${a.droppedLate + a.droppedUnstarted} (${a.droppedLate} too late${a.maxLagMs === null ? '' : ` > ${a.maxLagMs} ms`}, ${a.droppedUnstarted} never started)`,
      );
    }
    if (w.batch) {
      const b = w.batch;
      lines.push(
        `  batch job: ${b.finished}/${b.jobSize} requests in ${round((b.jobMs ?? NaN) / 1000, 2)} s` +
          (e ? '' : ` · ${round(b.outputTokensPerSecond ?? NaN)} output tokens/s over the job`) +
          (b.complete ? '' : ` · INCOMPLETE (${b.notStarted} never started)`),
      );
    }
    const settings = Object.entries(w.settings).map(([k, v]) => `${k} ${v}`).join(' · ');
    if (settings) lines.push(`  settings: ${settings}`);
    if (w.ttftSpread !== null) {
      const bound = w.stability ? ` (bound ${w.stability.ttftSpreadMax}: ${w.stability.ttftSpread === null ? 'no data' : w.stability.ok ? 'ok' : 'FAIL'})` : '';
      lines.push(`  TTFT stability: p99/p50 ${w.ttftSpread.toFixed(2)}${bound}, worst ${round(w.ttftMs?.max ?? NaN)} ms`);
    }
    if (w.sloAttainedRate !== null) {
      lines.push(`  SLO attainment ${(w.sloAttainedRate * 100).toFixed(2)} % · goodput ${round(w.goodputPerSecond ?? NaN, 2)} good requests/s`);
    }
    if (w.coldStart) lines.push(...renderColdStart(w.coldStart));
    if (w.availability) lines.push(...renderAvailability(w.availability));
    lines.push(`  thresholds: ${w.thresholdsSource ?? 'none'}`);
  }
  const g = report.generator;
  lines.push('');
  const timer = g.lagMs ? `timer lag p50 ${round(g.lagMs.p50, 2)} ms, p99 ${round(g.lagMs.p99, 2)} ms` : 'no timer samples';
  const read = g.readLagMs ? `, read lag p50 ${round(g.readLagMs.p50, 2)} ms, p99 ${round(g.readLagMs.p99, 2)} ms` : '';
  const send = g.sendLagMs ? `, send lag p50 ${round(g.sendLagMs.p50, 2)} ms, p99 ${round(g.sendLagMs.p99, 2)} ms` : '';
  const stamps = g.kernelStamps ? "; event times are the kernel's receive times" : '; event times are read times';
  lines.push(`generator self-check: ${timer}${send}${read}${stamps}${g.warning ? '' : ' (ok)'}`);
  if (report.merge) {
    lines.push(
      `merged from ${report.merge.instances.length} instances (${report.merge.instances.join(', ')}): latencies, counts, rates and SLO verdicts exact over every ` +
        "instance's requests; timer lag, schedule lag and run length combined from the instances' summaries (llm-summary.json \"merge\")",
    );
  }
  const judged = report.thresholds;
  if (judged.length > 0) {
    lines.push('');
    lines.push('thresholds');
    for (const t of judged) {
      if (t.verdict === 'no data') {
        lines.push(`  NO DATA ${t.metric}: ${t.expression} (no samples: not judged; k6 passes it)`);
        continue;
      }
      const measured = t.measured === null ? '' : ` (measured ${t.aggregation} = ${formatMeasured(t.measured)})`;
      lines.push(`  ${t.ok ? 'ok  ' : 'FAIL'} ${t.metric}: ${t.expression}${measured}`);
    }
  }
  for (const warning of report.warnings) lines.push(`WARNING: ${warning}`);
  lines.push('');
  return lines.join('\n');
}

function pct(rate: number | null): string {
  return rate === null ? 'n/a' : `${(rate * 100).toFixed(2)} %`;
}

function ms(n: number | null): string {
  return n === null ? '-' : round(n);
}

function renderColdStart(c: ColdStartReport): string[] {
  const lines = ['  cold start'];
  lines.push(
    `    cold TTFT p50 ${ms(c.coldTtftMs?.p50 ?? null)} ms · warm TTFT p50 ${ms(c.warmTtftMs?.p50 ?? null)} ms · ` +
      `penalty ${ms(c.penaltyMs)} ms · retries ${c.retries} · time to first success p50 ${ms(c.timeToFirstSuccessMs?.p50 ?? null)} ms`,
  );
  lines.push(`    ${pad('probe', 7)}${['cold TTFT', 'warm p50', 'penalty', 'first ok', 'retries'].map((h) => pad(h, 11, true)).join('')}`);
  for (const p of c.probes) {
    const cells = [ms(p.coldTtftMs), ms(p.warmTtftMedianMs), ms(p.penaltyMs), ms(p.timeToFirstSuccessMs), String(p.retries)];
    lines.push(`    ${pad(String(p.probe), 7)}${cells.map((v) => pad(v, 11, true)).join('')}`);
  }
  return lines;
}

/** At most this many windows are printed; the JSON report has them all. */
const MAX_PRINTED_WINDOWS = 30;

function renderAvailability(a: AvailabilityReport): string[] {
  const lines = ['  availability'];
  const run = a.longestFailureRun;
  const worst = a.worstWindow;
  lines.push(
    `    overall ${pct(a.availability)} (${a.successes}/${a.requests}) · worst ${round(a.windowMs / 1000, 0)} s window ` +
      `${worst ? `${pct(worst.availability)} at ${round(worst.startMs / 1000, 0)} s` : 'n/a'} · longest failure run ` +
      `${run ? `${run.requests} requests (${round(run.fromMs / 1000)}–${round(run.toMs / 1000)} s)` : 'none'}`,
  );
  const shown = a.windows.length > MAX_PRINTED_WINDOWS ? a.windows.filter((w) => w.requests > w.successes) : a.windows;
  for (const w of shown.slice(0, MAX_PRINTED_WINDOWS)) {
    const errors = Object.entries(w.errors).map(([k, n]) => `${k} ${n}`).join(', ') || '-';
    lines.push(`    ${pad(`${round(w.startMs / 1000, 0)} s`, 8, true)}  ${pad(pct(w.availability), 9, true)} of ${pad(String(w.requests), 5, true)}  ${errors}`);
  }
  if (shown.length > MAX_PRINTED_WINDOWS || shown.length < a.windows.length) {
    lines.push(`    (${a.windows.length} windows in the JSON report${shown.length < a.windows.length ? '; only windows with failures printed' : ''})`);
  }
  return lines;
}

