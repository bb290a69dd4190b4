// handleSummary for every scenario: prints the LLM summary and writes the
// JSON report. k6 calls it at the end of every run, also a failed or
// interrupted one, so whatever was measured lands on disk.
import { summaryJsonPath, type Config } from '../config.ts';
import { buildReport, renderText, type K6SummaryData } from '../summary/llm-summary.ts';

/** Makes the handleSummary export of a scenario running `workloads`. */
export function makeSummaryHandler(
  config: Config,
  workloads: string[],
  transport: string,
): (data: K6SummaryData) => Record<string, string> {
  return (data: K6SummaryData) => {
    // Only non-secret settings: the API key never reaches a report.
    const report = buildReport(
      data,
      workloads,
      {
        model: config.model,
        baseUrl: config.baseUrl,
        protocol: config.protocol,
        transport,
        vus: config.vus,
        maxTokens: config.maxTokens,
        stream: String(config.stream),
        duration: `${config.durationMs / 1000}s`,
      },
      config.lagWarnMs,
    );
    const path = summaryJsonPath(config);
    return {
      stdout: `${renderText(report)}JSON summary: ${path}\n`,
      [path]: `${JSON.stringify(report, null, 2)}\n`,
    };
  };
}
