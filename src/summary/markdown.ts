// A Markdown summary for CI job pages (e.g. $GITHUB_STEP_SUMMARY): headline
// figures per workload and every threshold with its measured value.
import { workloadKey } from '../measure/metric-key.ts';
import { EMBEDDINGS_NOT_APPLICABLE } from './build.ts';
import { formatMeasured, imagesLine, promptCacheLine, reasoningSplit, resendLine, timingLine } from './format.ts';
import type { Percentiles } from '../k6-summary-data.ts';
import type { LlmReport } from './schema.ts';
import { dollars } from '../report/cost.ts';
import { changeText, differenceText, failsGate, figureValue, gateHeadline, methodText, toleranceText, verdictText } from './regression-format.ts';
import type { RegressionSection } from './schema.ts';

function ms(p: Percentiles | null, key: keyof Percentiles): string {
  return p ? formatMeasured(p[key]) : '–';
}

/** Renders the report as Markdown. */
export function renderMarkdown(report: LlmReport): string {
  const out: string[] = [];
  const failed = report.thresholds.filter((t) => !t.ok).length + Object.values(report.workloads).filter((w) => w.stability && !w.stability.ok).length;
  const noData = report.thresholds.filter((t) => t.verdict === 'no data').length;
  const unjudged = noData > 0 ? ` · ⚪ ${noData} without data` : '';
  const gate = report.regression ? (report.regression.failed ? ' · ❌ regression against the baseline' : ' · ✅ no regression') : '';
  out.push(`## k6-llm: ${failed === 0 ? (noData > 0 ? '✅ no SLO breached' : '✅ all SLOs met') : `❌ ${failed} SLO breach${failed > 1 ? 'es' : ''}`}${unjudged}${gate}`);
  out.push('');
  out.push(`Model \`${report.run.model}\` · transport ${report.run.transport} · ${((report.testRunDurationMs ?? 0) / 1000).toFixed(1)} s run`);
  for (const [name, w] of Object.entries(report.workloads)) {
    out.push('');
    out.push(`### ${name}`);
    out.push('');
    out.push('| metric | p50 | p95 | p99 | max |');
    out.push('| --- | ---: | ---: | ---: | ---: |');
    const row = (label: string, p: Percentiles | null): void => {
      out.push(`| ${label} | ${ms(p, 'p50')} | ${ms(p, 'p95')} | ${ms(p, 'p99')} | ${ms(p, 'max')} |`);
    };
    const e = w.embeddings ?? null;
    // Embeddings are one body per request: only E2E is defined, and the table says so.
    const generated = (label: string, p: Percentiles | null): void => {
      if (e) out.push(`| ${label} | ${EMBEDDINGS_NOT_APPLICABLE} | | | |`);
      else row(label, p);
    };
    generated('TTFT (ms)', w.ttftMs);
    generated('TTFO (ms)', w.ttfoMs ?? null);
    generated('ITL (ms)', w.itlMs);
    generated('TPOT (ms)', w.tpotMs);
    row('E2E (ms)', w.e2eMs);
    generated('tokens/s per request', w.outputTokensPerSecondPerRequest);
    out.push('');
    if (e) {
      const f = (n: number | null): string => (n === null ? '–' : formatMeasured(n));
      out.push(`Embeddings: ${e.inputs} inputs (${e.inputsPerRequest} per request) · ${f(e.inputsPerSecond)} inputs/s · ${f(e.inputTokensPerSecond)} input tokens/s over the job`);
      out.push('');
    }
    const success = w.successRate === null ? 'n/a' : `${(w.successRate * 100).toFixed(2)} %`;
    const slo = w.sloAttainedRate === null ? '' : ` · SLO attainment ${(w.sloAttainedRate * 100).toFixed(2)} % (goodput ${(w.goodputPerSecond ?? 0).toFixed(2)}/s)`;
    out.push(`${w.requests} requests · success ${success}${slo} · aggregate ${(w.aggregateOutputTokensPerSecond ?? 0).toFixed(1)} output tokens/s`);
    for (const line of [reasoningSplit(w), promptCacheLine(w), imagesLine(w)]) if (line) out.push('', line.charAt(0).toUpperCase() + line.slice(1));
    const errors = Object.entries(w.errors).map(([k, n]) => `${k} ${n}`).join(', ');
    if (errors) {
      out.push('');
      out.push(`Errors: ${errors}`);
    }
    if (w.errorCause) {
      out.push('');
      out.push(`Cause: ${w.errorCause.replace(/[|<>]/g, (c) => `&#${c.charCodeAt(0)};`)}`);
    }
    if (w.connectionResends) out.push('', resendLine(w.connectionResends).replace(/^./, (c) => c.toUpperCase()));
    const timing = timingLine(w);
    if (timing) out.push('', timing.replace(/^./, (c) => c.toUpperCase()));
    const c = w.coldStart;
    if (c) {
      const f = (n: number | null | undefined): string => (n == null ? '–' : formatMeasured(n));
      out.push('');
      out.push(`Cold start: cold TTFT p50 ${f(c.coldTtftMs?.p50)} ms · warm TTFT p50 ${f(c.warmTtftMs?.p50)} ms · penalty ${f(c.penaltyMs)} ms · retries ${c.retries}`);
      out.push('');
      out.push('| probe | cold TTFT (ms) | warm p50 (ms) | penalty (ms) | time to first success (ms) | retries |');
      out.push('| ---: | ---: | ---: | ---: | ---: | ---: |');
      for (const p of c.probes) {
        out.push(`| ${p.probe} | ${f(p.coldTtftMs)} | ${f(p.warmTtftMedianMs)} | ${f(p.penaltyMs)} | ${f(p.timeToFirstSuccessMs)} | ${p.retries} |`);
      }
    }
    const a = w.availability;
    if (a) {
      const pct = (r: number | null): string => (r === null ? '–' : `${(r * 100).toFixed(2)} %`);
      const run = a.longestFailureRun;
      out.push('');
      out.push(
        `Availability ${pct(a.availability)} (${a.successes}/${a.requests}) · worst ${a.windowMs / 1000} s window ${pct(a.worstWindow?.availability ?? null)}` +
          ` · longest failure run ${run ? `${run.requests} requests` : 'none'}`,
      );
      const failing = a.windows.filter((x) => x.requests > x.successes);
      if (failing.length > 0) {
        out.push('');
        out.push('| window (s) | availability | requests | errors |');
        out.push('| ---: | ---: | ---: | --- |');
        for (const x of failing.slice(0, 50)) {
          const errors = Object.entries(x.errors).map(([k, n]) => `${k} ${n}`).join(', ');
          out.push(`| ${x.startMs / 1000} | ${pct(x.availability)} | ${x.requests} | ${errors} |`);
        }
      }
    }
    if (w.arrivals) {
      const arr = w.arrivals;
      out.push('');
      out.push(
        `Arrivals ${arr.pattern}: ${arr.scheduled} scheduled, ${arr.sent} sent, ${arr.droppedLate + arr.droppedUnstarted} dropped · ` +
          `schedule lag p50 ${ms(arr.lagMs, 'p50')} ms, p99 ${ms(arr.lagMs, 'p99')} ms, max ${ms(arr.lagMs, 'max')} ms`,
      );
    }
    if (w.batch) {
      const b = w.batch;
      out.push('');
      out.push(`Batch job: ${b.finished}/${b.jobSize} requests in ${b.jobMs === null ? '–' : (b.jobMs / 1000).toFixed(2)} s · ${(b.outputTokensPerSecond ?? 0).toFixed(1)} output tokens/s over the job${b.complete ? '' : ' · incomplete'}`);
    }
    out.push('');
    out.push(`Thresholds: ${w.thresholdsSource ?? 'none'}`);
  }
  if (report.thresholds.length > 0 || Object.values(report.workloads).some((w) => w.stability)) {
    out.push('');
    out.push('### Thresholds');
    out.push('');
    out.push('| | metric | threshold | measured |');
    out.push('| --- | --- | --- | ---: |');
    for (const t of report.thresholds) {
      if (t.verdict === 'no data') {
        out.push(`| ⚪ | \`${t.metric}\` | \`${t.expression}\` | no data (no samples) |`);
        continue;
      }
      const measured = t.measured === null ? '–' : `${t.aggregation} = ${formatMeasured(t.measured)}`;
      out.push(`| ${t.ok ? '✅' : '❌'} | \`${t.metric}\` | \`${t.expression}\` | ${measured} |`);
    }
    for (const [name, w] of Object.entries(report.workloads)) {
      if (!w.stability || report.thresholds.some((t) => t.metric === workloadKey('llm_ttft_spread', name))) continue;
      const measured = w.stability.ttftSpread === null ? '–' : `p99/p50 = ${w.stability.ttftSpread.toFixed(2)}`;
      const mark = w.stability.ttftSpread === null ? '⚪' : w.stability.ok ? '✅' : '❌';
      out.push(`| ${mark} | \`${workloadKey('llm_ttft', name)}\` | \`p99/p50 <= ${w.stability.ttftSpreadMax}\` | ${w.stability.ttftSpread === null ? 'no data (no samples)' : measured} |`);
    }
  }
  if (report.regression) out.push('', ...regressionMarkdown(report.regression));
  if (report.merge) {
    out.push('', `Merged from ${report.merge.instances.length} instances (${report.merge.instances.map((i) => `\`${i}\``).join(', ')}).`);
    out.push(`Exact over every instance's requests: ${report.merge.exact.join(', ')}. Combined from the instances' summaries: ${report.merge.combined.join('; ')}.`);
  }
  if (report.cost) {
    const c = report.cost;
    out.push('', `Cost at ${c.price}: ${dollars(c.perMillionOutputTokens)} per million output tokens, ${dollars(c.perRequest)} per request, ${dollars(c.totalDollars)} for the run.`);
  }
  for (const warning of report.warnings) out.push('', `> ⚠️ ${warning}`);
  out.push('');
  return out.join('\n');
}

/** The regression gate's section: its verdict, its method, and a row per figure with the interval. */
function regressionMarkdown(s: RegressionSection): string[] {
  const cell = (text: string): string => text.replace(/\|/g, '\\|');
  const out = [`### Regression gate: ${s.failed ? '❌' : '✅'} ${cell(gateHeadline(s))}`, '', `Against \`${s.baseline}\`: ${methodText(s)}. A figure regressed only when its whole interval is worse than its tolerance.`, ''];
  out.push('| | workload | figure | baseline | current | difference [interval] | change [interval] | allowed | verdict |');
  out.push('| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const r of s.rows) {
    const mark = failsGate(r) ? '❌' : r.verdict === 'inconclusive' ? '⚪' : '✅';
    out.push(`| ${mark} | ${cell(r.workload)} | \`${r.figure}\` | ${figureValue(r.baseline, r.unit)} | ${figureValue(r.current, r.unit)} | ${differenceText(r)} | ${changeText(r)} | ${toleranceText(r)} | ${cell(verdictText(r))} |`);
  }
  return out;
}
