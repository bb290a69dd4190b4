// handleSummary for every scenario: prints the LLM summary and writes the
// JSON, Markdown and JUnit reports. k6 calls it at the end of every run, also
// a failed or interrupted one, so whatever was measured lands on disk.
import { summaryJsonPath, type Config } from '../config.ts';
import { renderJunit } from '../summary/junit.ts';
import { decodeOutcome, type Outcome } from '../summary/availability.ts';
import { buildReport, renderText, type K6SummaryData, type WorkloadInput } from '../summary/llm-summary.ts';
import { renderMarkdown } from '../summary/markdown.ts';
import { llmstream } from './extensions.ts';
import { outcomeKey } from './record-metrics.ts';

/** Every request outcome a workload logged (k6/x/llmstream's process-wide store); null without the extension. */
export function loggedOutcomes(workload: string): Outcome[] | null {
  if (!llmstream || typeof llmstream.values !== 'function') return null;
  const out: Outcome[] = [];
  for (const value of llmstream.values(outcomeKey(workload))) {
    const outcome = decodeOutcome(value);
    if (outcome) out.push(outcome);
  }
  return out;
}

/** Makes the handleSummary export of a scenario running `workloads`. */
export function makeSummaryHandler(
  config: Config,
  workloads: Omit<WorkloadInput, 'outcomes'>[],
  transport: string,
  extraRun: Record<string, string | number> = {},
): (data: K6SummaryData) => Record<string, string> {
  return (data: K6SummaryData) => {
    // Read here, not at init: handleSummary runs after every VU has finished.
    const inputs: WorkloadInput[] = workloads.map((w) => (w.windowMs === undefined ? w : { ...w, outcomes: loggedOutcomes(w.workload) }));
    // Only non-secret settings: the API key never reaches a report.
    const report = buildReport(
      data,
      inputs,
      {
        model: config.model,
        baseUrl: config.baseUrl,
        protocol: config.protocol,
        transport,
        vus: config.vus,
        maxTokens: config.maxTokens,
        stream: String(config.stream),
        duration: `${config.durationMs / 1000}s`,
        ...extraRun,
      },
      config.lagWarnMs,
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
