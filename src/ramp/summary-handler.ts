// handleSummary of the ramp: prints the per-level table and writes ramp.json,
// ramp.html, the SVG charts and the whole-run llm-summary.json. k6 calls it
// after every run, also one the stop rule aborted, so a stopped ramp still
// leaves its report. Pure: src/k6/drivers/ramp.ts hands it to k6.
import type { Config } from '../config/config.ts';
import { summaryJsonPath } from '../config/report.ts';
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
export function stopRuleText(config: Config): string {
  const parts: string[] = [];
  if (config.ramp.stopErrorRate !== null) parts.push(`error rate above ${config.ramp.stopErrorRate * 100} %`);
  if (config.ramp.stopLatencyFactor !== null) parts.push(`a TTFT or E2E percentile above ${config.ramp.stopLatencyFactor} × its SLO bound`);
  return parts.length === 0
    ? 'off'
    : `stop after the first level whose steady state had ${parts.join(' or ')}`;
}

/** Makes the ramp's handleSummary. */
export function makeRampSummaryHandler(
  config: Config,
  plan: RampPlan,
  spec: ThresholdSpec | null,
  shape: string,
  transport: string,
): (data: K6SummaryData) => Record<string, string> {
  return (data: K6SummaryData) => {
    const settings = {
      model: config.endpoint.model,
      baseUrl: config.endpoint.baseUrl,
      protocol: config.endpoint.protocol,
      transport,
      levels: config.ramp.levels,
      levelDurationSeconds: config.ramp.levelDurationMs / 1000,
      warmupSeconds: config.ramp.warmupMs / 1000,
      maxTokens: config.request.maxTokens,
      stream: String(config.request.stream),
      stopErrorRate: config.ramp.stopErrorRate,
      stopTtftFactor: config.ramp.stopLatencyFactor,
      saturationGainPct: config.ramp.saturationGainPct,
    };
    const report = buildRampReport(data, {
      plan,
      spec,
      stopRules: stopRules(config.ramp, plan, spec),
      saturationGainPct: config.ramp.saturationGainPct,
      shape,
      settings,
      stopRuleText: stopRuleText(config),
      generatorLagWarnMs: config.report.lagWarnMs,
    });
    // The whole run, all levels mixed: not judged by the SLO file (each level is, in ramp.json).
    const whole = buildReport(data, [{ workload: RAMP_WORKLOAD, spec: null }], { ...settings, levels: config.ramp.levels.join(',') }, config.report.lagWarnMs);
    const files: Record<string, string> = {
      ...rampFiles(config.report.outDir, report),
      [summaryJsonPath(config.report)]: `${JSON.stringify(whole, null, 2)}\n`,
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
