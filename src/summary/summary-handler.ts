// The summary handler's logic, pure: k6's end-of-test data in, the console
// text and the report files out. handle-summary.ts wires it to k6.
import type { Config } from '../config/config.ts';
import { summaryJsonPath } from '../config/report.ts';
import type { Outcome } from '../measure/availability.ts';
import { redact } from '../measure/error-cause.ts';
import type { WorkloadRunInfo } from '../run-info.ts';
import { buildReport } from './build.ts';
import { renderJunit } from './junit.ts';
import type { K6SummaryData } from '../k6-summary-data.ts';
import { renderMarkdown } from './markdown.ts';
import { renderText } from './text.ts';

/** Makes a handleSummary function; readOutcomes gives a workload's logged request outcomes (null: none kept). */
export function summaryHandler(
  config: Config,
  workloads: Omit<WorkloadRunInfo, 'outcomes'>[],
  transport: string,
  readOutcomes: (workload: string) => Outcome[] | null,
  extraRun: Record<string, string | number> = {},
  readCauses: (workload: string) => { cause: string; count: number }[] | null = () => null,
): (data: K6SummaryData) => Record<string, string> {
  return (data: K6SummaryData) => {
    // Read here, not at init: handleSummary runs after every VU has finished.
    const secrets = [config.endpoint.apiKey, config.endpoint.meter?.secret];
    const inputs: WorkloadRunInfo[] = workloads.map((w) => {
      const causes = readCauses(w.workload)?.map((c) => ({ cause: redact(c.cause, secrets), count: c.count })) ?? null;
      return w.windowMs === undefined ? { ...w, causes } : { ...w, causes, outcomes: readOutcomes(w.workload) };
    });
    // Only non-secret settings: the API key never reaches a report.
    const report = buildReport(
      data,
      inputs,
      {
        model: config.endpoint.model,
        baseUrl: config.endpoint.baseUrl,
        protocol: config.endpoint.protocol,
        transport,
        stream: String(config.request.stream),
        duration: `${config.load.durationMs / 1000}s`,
        seed: config.load.seed,
        ...extraRun,
      },
      config.report.lagWarnMs,
      config.report.scheduleLagWarnMs,
    );
    const jsonPath = summaryJsonPath(config.report);
    const dir = config.report.outDir.replace(/\/+$/, '');
    const mdPath = `${dir}/llm-summary.md`;
    const junitPath = `${dir}/llm-junit.xml`;
    return {
      stdout: `${renderText(report)}reports: ${jsonPath}, ${mdPath}, ${junitPath}\n`,
      [jsonPath]: `${JSON.stringify(report, null, 2)}\n`,
      [mdPath]: renderMarkdown(report),
      [junitPath]: renderJunit(report),
    };
  };
}
