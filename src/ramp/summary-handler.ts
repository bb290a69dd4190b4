// handleSummary of the ramp: prints the per-level table and writes ramp.json,
// ramp.html, the SVG charts and the whole-run llm-summary.json. k6 calls it
// after every run, also one the stop rule aborted, so a stopped ramp still
// leaves its report. Pure: src/k6/drivers/ramp.ts hands it to k6.
import type { Config } from '../config.ts';
import { summaryJsonPath } from '../config.ts';
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
  if (config.stopErrorRate !== null) parts.push(`error rate above ${config.stopErrorRate * 100} %`);
  if (config.stopLatencyFactor !== null) parts.push(`a TTFT or E2E percentile above ${config.stopLatencyFactor} × its SLO bound`);
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
    // Each level's figures are sub-metrics, which k6's machine-readable summary does not carry: no report beats a wrong one.
    if (data.missing) {
      throw new Error(
        'invalid handleSummary data for the ramp; expected k6\'s classic summary (each level\'s figures are sub-metrics), got the machine-readable one (K6_NEW_MACHINE_READABLE_SUMMARY): run k6 without it',
      );
    }
    const settings = {
      model: config.model,
      baseUrl: config.baseUrl,
      protocol: config.protocol,
      transport,
      levels: config.levels,
      levelDurationSeconds: config.levelDurationMs / 1000,
      warmupSeconds: config.warmupMs / 1000,
      maxTokens: config.maxTokens,
      stream: String(config.stream),
      stopErrorRate: config.stopErrorRate,
      stopTtftFactor: config.stopLatencyFactor,
      saturationGainPct: config.saturationGainPct,
    };
    const report = buildRampReport(data, {
      plan,
      spec,
      stopRules: stopRules(config, plan, spec),
      saturationGainPct: config.saturationGainPct,
      shape,
      settings,
      stopRuleText: stopRuleText(config),
      generatorLagWarnMs: config.lagWarnMs,
    });
    // The whole run, all levels mixed: not judged by the SLO file (each level is, in ramp.json).
    const whole = buildReport(data, [{ workload: RAMP_WORKLOAD, spec: null }], { ...settings, levels: config.levels.join(',') }, config.lagWarnMs);
    const files: Record<string, string> = {
      ...rampFiles(config.outDir, report),
      [summaryJsonPath(config)]: `${JSON.stringify(whole, null, 2)}\n`,
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
