// JUnit XML for CI: one test case per threshold (and per stability bound),
// a failure carrying the measured value, so a CI page names what broke.
import { workloadKey } from '../measure/metric-key.ts';
import { formatMeasured } from './format.ts';
import type { LlmReport } from './schema.ts';

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Renders the report's thresholds as a JUnit testsuite. */
export function renderJunit(report: LlmReport): string {
  const cases: string[] = [];
  let failures = 0;
  let skipped = 0;
  for (const t of report.thresholds) {
    const name = `${t.metric}: ${t.expression}`;
    if (t.verdict === 'no data') {
      skipped++;
      cases.push(`    <testcase classname="k6-llm.thresholds" name="${xml(name)}"><skipped message="${xml(`no data: ${t.metric} has no samples, so ${t.expression} was not judged`)}"/></testcase>`);
      continue;
    }
    const measured = t.measured === null ? 'no value' : `${t.aggregation} = ${formatMeasured(t.measured)}`;
    if (t.ok) {
      cases.push(`    <testcase classname="k6-llm.thresholds" name="${xml(name)}"><system-out>${xml(`measured ${measured}`)}</system-out></testcase>`);
    } else {
      failures++;
      cases.push(
        `    <testcase classname="k6-llm.thresholds" name="${xml(name)}">\n` +
          `      <failure message="${xml(`${t.metric} breached ${t.expression}: measured ${measured}`)}" type="threshold"/>\n` +
          '    </testcase>',
      );
    }
  }
  for (const [workload, w] of Object.entries(report.workloads)) {
    // With the stream meter the bound is a k6 threshold (llm_ttft_spread), listed above.
    if (!w.stability || report.thresholds.some((t) => t.metric === workloadKey('llm_ttft_spread', workload))) continue;
    const name = `${workloadKey('llm_ttft', workload)}: p99/p50 <= ${w.stability.ttftSpreadMax}`;
    const measured = w.stability.ttftSpread === null ? 'no samples' : `p99/p50 = ${w.stability.ttftSpread.toFixed(2)}`;
    if (w.stability.ttftSpread === null) {
      skipped++;
      cases.push(`    <testcase classname="k6-llm.stability" name="${xml(name)}"><skipped message="no data: no TTFT samples, so the spread was not judged"/></testcase>`);
    } else if (w.stability.ok) {
      cases.push(`    <testcase classname="k6-llm.stability" name="${xml(name)}"><system-out>${xml(`measured ${measured}`)}</system-out></testcase>`);
    } else {
      failures++;
      cases.push(
        `    <testcase classname="k6-llm.stability" name="${xml(name)}">\n` +
          `      <failure message="${xml(`TTFT spread breached: measured ${measured}`)}" type="stability"/>\n` +
          '    </testcase>',
      );
    }
  }
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<testsuites name="k6-llm" tests="${cases.length}" failures="${failures}" skipped="${skipped}">\n` +
    `  <testsuite name="k6-llm thresholds" tests="${cases.length}" failures="${failures}" skipped="${skipped}">\n` +
    (cases.length ? `${cases.join('\n')}\n` : '') +
    '  </testsuite>\n</testsuites>\n'
  );
}
