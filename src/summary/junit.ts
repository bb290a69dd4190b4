// JUnit XML for CI: one test case per threshold (and per stability bound),
// a failure carrying the measured value, so a CI page names what broke.
import { workloadKey } from '../measure/metric-key.ts';
import { formatMeasured } from './format.ts';
import { changeText, differenceText, figureValue, methodText, toleranceText, verdictText } from './regression-format.ts';
import type { LlmReport, RegressionSection } from './schema.ts';

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
  const gate = report.regression ? regressionSuite(report.regression) : null;
  const tests = cases.length + (gate?.tests ?? 0);
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<testsuites name="k6-llm" tests="${tests}" failures="${failures + (gate?.failures ?? 0)}" skipped="${skipped + (gate?.skipped ?? 0)}">\n` +
    `  <testsuite name="k6-llm thresholds" tests="${cases.length}" failures="${failures}" skipped="${skipped}">\n` +
    (cases.length ? `${cases.join('\n')}\n` : '') +
    '  </testsuite>\n' +
    (gate?.xml ?? '') +
    '</testsuites>\n'
  );
}

/**
 * The regression gate as a testsuite: one test case per figure, its interval
 * and verdict as properties, a failure when it regressed beyond its tolerance
 * or went missing, skipped when too few samples to judge.
 */
function regressionSuite(s: RegressionSection): { xml: string; tests: number; failures: number; skipped: number } {
  let failures = 0;
  let skipped = 0;
  const cases = s.rows.map((r) => {
    const name = `${r.workload} ${r.figure}`;
    const props: [string, string][] = [
      ['baseline', figureValue(r.baseline, r.unit)],
      ['current', figureValue(r.current, r.unit)],
      ['difference', differenceText(r)],
      ['change', changeText(r)],
      ['tolerance', toleranceText(r)],
      ['confidence', `${Number((s.figureConfidence * 100).toFixed(2))} %`],
      ['verdict', r.verdict],
    ];
    const properties = `      <properties>\n${props.map(([k, v]) => `        <property name="${k}" value="${xml(v)}"/>`).join('\n')}\n      </properties>\n`;
    const message = `${name} ${verdictText(r)}: change ${changeText(r)}, difference ${differenceText(r)}, tolerance ${toleranceText(r)}`;
    let outcome: string;
    if (r.verdict === 'regressed' || r.verdict === 'missing') {
      failures++;
      outcome = `      <failure message="${xml(message)}" type="regression"/>\n`;
    } else if (r.verdict === 'inconclusive') {
      skipped++;
      outcome = `      <skipped message="${xml(message)}"/>\n`;
    } else outcome = `      <system-out>${xml(message)}</system-out>\n`;
    return `    <testcase classname="k6-llm.regression" name="${xml(name)}">\n${properties}${outcome}    </testcase>`;
  });
  const xmlText =
    `  <testsuite name="k6-llm regression" tests="${cases.length}" failures="${failures}" skipped="${skipped}">\n` +
    `    <properties>\n      <property name="baseline" value="${xml(s.baseline)}"/>\n      <property name="method" value="${xml(methodText(s))}"/>\n    </properties>\n` +
    (cases.length ? `${cases.join('\n')}\n` : '') +
    '  </testsuite>\n';
  return { xml: xmlText, tests: cases.length, failures, skipped };
}
