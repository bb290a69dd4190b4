// handleSummary of the ramp: prints the per-level table and writes ramp.json,
// ramp.html, the SVG charts and the whole-run llm-summary.json. k6 calls it
// after every run, also one the stop rule aborted, so a stopped ramp still
// leaves its report. Pure: src/load/ramp-levels.ts hands it to k6.
import type { RampConfig } from '../config/ramp.ts';
import { summaryJsonPath, type ReportConfig } from '../config/report.ts';
import { buildReport } from '../summary/build.ts';
import type { K6SummaryData } from '../k6-summary-data.ts';
import type { ThresholdSpec } from '../thresholds/threshold-file.ts';
import { rampCharts } from './charts.ts';
import { renderRampHtml } from './html-report.ts';
import { stopRules } from './options.ts';
import { RAMP_WORKLOAD, type RampPlan } from './plan.ts';
import { buildRampReport, type RampReport } from './ramp-report.ts';
import { renderRampText } from './ramp-text.ts';

/** The stop rule as one sentence, for the reports. */
export function stopRuleText(ramp: Pick<RampConfig, 'stopErrorRate' | 'stopLatencyFactor'>): string {
  const parts: string[] = [];
  if (ramp.stopErrorRate !== null) parts.push(`error rate above ${ramp.stopErrorRate * 100} %`);
  if (ramp.stopLatencyFactor !== null) parts.push(`a TTFT or E2E percentile above ${ramp.stopLatencyFactor} × its SLO bound`);
  return parts.length === 0
    ? 'off'
    : `stop after the first level whose steady state had ${parts.join(' or ')}`;
}

/** What the ramp's reports are made from besides k6's data. */
export interface RampSummaryInputs {
  ramp: RampConfig;
  plan: RampPlan;
  spec: ThresholdSpec | null;
  /** The request shape's name (chat, batch, realtime). */
  shape: string;
  /** The requests' max_tokens and streaming, as the report shows them. */
  request: { maxTokens: number | null; stream: boolean };
  report: Pick<ReportConfig, 'outDir' | 'summaryJson' | 'lagWarnMs'>;
  /** The endpoint's facts, read when the summary runs (never a secret). */
  facts: () => Record<string, string>;
}

/** Makes the ramp's handleSummary. */
export function makeRampSummaryHandler(inputs: RampSummaryInputs): (data: K6SummaryData) => Record<string, string> {
  const { ramp, plan, spec, shape, request, report: out } = inputs;
  return (data: K6SummaryData) => {
    // Each level's figures are sub-metrics, which k6's machine-readable summary does not carry: no report beats a wrong one.
    if (data.missing) {
      throw new Error(
        'invalid handleSummary data for the ramp; expected k6\'s classic summary (each level\'s figures are sub-metrics), got the machine-readable one (K6_NEW_MACHINE_READABLE_SUMMARY): run k6 without it',
      );
    }
    const settings = {
      ...inputs.facts(),
      levels: ramp.levels,
      levelDurationSeconds: ramp.levelDurationMs / 1000,
      warmupSeconds: ramp.warmupMs / 1000,
      maxTokens: request.maxTokens,
      stream: String(request.stream),
      stopErrorRate: ramp.stopErrorRate,
      stopTtftFactor: ramp.stopLatencyFactor,
      saturationGainPct: ramp.saturationGainPct,
    };
    const report = buildRampReport(data, {
      plan,
      spec,
      stopRules: stopRules(ramp, plan, spec),
      saturationGainPct: ramp.saturationGainPct,
      shape,
      settings,
      stopRuleText: stopRuleText(ramp),
      generatorLagWarnMs: out.lagWarnMs,
    });
    // The whole run, all levels mixed: not judged by the SLO file (each level is, in ramp.json).
    const whole = buildReport(data, [{ workload: RAMP_WORKLOAD, spec: null }], { ...settings, levels: ramp.levels.join(',') }, out.lagWarnMs);
    const files: Record<string, string> = {
      ...rampFiles(out.outDir, report),
      [summaryJsonPath(out)]: `${JSON.stringify(whole, null, 2)}\n`,
    };
    return { stdout: `${renderRampText(report)}reports: ${Object.keys(files).join(', ')}\n`, ...files };
  };
}

/** The ramp's report files in folder `outDir`: path → content (ramp.json, ramp.html and the SVG charts). */
export function rampFiles(outDir: string, report: RampReport): Record<string, string> {
  const dir = outDir.replace(/\/+$/, '');
  const charts = rampCharts(report);
  return {
    [`${dir}/ramp.json`]: `${JSON.stringify(report, null, 2)}\n`,
    [`${dir}/ramp.html`]: renderRampHtml(report),
    [`${dir}/ramp-overview.svg`]: charts.overview,
    [`${dir}/ramp-throughput.svg`]: charts.throughput,
    [`${dir}/ramp-ttft.svg`]: charts.ttft,
    [`${dir}/ramp-token-rate.svg`]: charts.tokenRate,
  };
}
