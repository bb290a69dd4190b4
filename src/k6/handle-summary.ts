// handleSummary for every scenario: prints the LLM summary and writes the
// JSON, Markdown and JUnit reports. k6 calls it at the end of every run, also
// a failed or interrupted one, so whatever was measured lands on disk.
import { summaryJsonPath, type Config } from '../config.ts';
import { renderJunit } from '../summary/junit.ts';
import { buildReport, renderText, type K6SummaryData, type WorkloadRunInfo } from '../summary/llm-summary.ts';
import { renderMarkdown } from '../summary/markdown.ts';

/** Makes the handleSummary export of a scenario running `workloads`. */
export function makeSummaryHandler(
  config: Config,
  workloads: WorkloadRunInfo[],
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
        stream: String(config.stream),
        duration: `${config.durationMs / 1000}s`,
        seed: config.seed,
      },
      config.lagWarnMs,
      config.scheduleLagWarnMs,
    );
    const jsonPath = summaryJsonPath(config);
    const dir = config.outDir.replace(/\/+$/, '');
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
