// One k6 script from its workload drivers: the options, setup, the
// iteration and probe functions, teardown and handleSummary that every
// scenarios/*.ts exports. Config, scope check, thresholds and transport are
// read once here, in the init context, so a bad variable or file stops the
// run before any load with one line. It sits above both the k6 shell
// (src/k6/) and the reports (src/summary/), which never import each other
// this way round.
import type { Options } from 'k6/options';
import type { Config } from './config.ts';
import type { K6SummaryData } from './k6-summary-data.ts';
import { eitherSummaryShape } from './k6-summary-shapes.ts';
import type { Driver } from './k6/drivers/driver.ts';
import { generatorProbe } from './k6/generator-probe.ts';
import { loadConfig, oneLine } from './k6/load-config.ts';
import { settleStore, startStore } from './k6/meter-store.ts';
import { runStart, type RunStart } from './k6/schedule-replay.ts';
import { segmentLines } from './k6/segment.ts';
import { observePrompts } from './k6/prompt-observer.ts';
import { createTransport, type Transport } from './k6/transport.ts';
import { protocolByName } from './protocols/index.ts';
import { makeSummaryHandler } from './summary/handle-summary.ts';
import type { WorkloadName } from './variables.ts';
import { runOptions } from './workloads/options.ts';

/** The exports of one k6 script. */
export interface Script {
  options: Options;
  /** Empties the meter's store, prints what runs, and hands every iteration the scenarios' start. */
  setup(): RunStart;
  /** The iteration function of `workload` (a no-op when the run left it out, e.g. LLM_MIX=batch=0). */
  exec(workload: string): (start: RunStart) => void;
  /** The generator self-check's iteration. */
  generatorProbe(): void;
  /** Settles each VU's last request in the meter's store, then the drivers' end-of-test figures. */
  teardown(): void;
  handleSummary(data: K6SummaryData): Record<string, string>;
}

/** The script of `workload`, whose drivers `make` builds from the validated config and the transport. */
export function createScript(env: Record<string, string | undefined>, workload: WorkloadName, make: (config: Config, transport: Transport) => Driver[]): Script {
  const config = loadConfig(env, workload);
  const transport = observePrompts(oneLine(() => createTransport(config, protocolByName(config.protocol))));
  const drivers = make(config, transport);
  const only = drivers.length === 1 ? drivers[0] : undefined;
  const noop = (): void => {};
  return {
    options: runOptions(config, drivers),
    setup() {
      // Before anything else: a workload that cannot be split stops here, before any load.
      for (const line of segmentLines(drivers)) console.warn(`k6-llm: ${line}`);
      startStore();
      for (const notice of config.notices) console.warn(`k6-llm: ${notice}`);
      if (only) console.log(`k6-llm: ${only.banner}; transport ${transport.name}`);
      else {
        for (const d of drivers) console.log(`k6-llm: ${d.banner}`);
        console.log(`k6-llm: transport ${transport.name}`);
      }
      return runStart();
    },
    exec(name) {
      return drivers.find((d) => d.workload === name)?.run ?? noop;
    },
    generatorProbe: only?.probeRun ?? generatorProbe,
    teardown() {
      settleStore();
      for (const d of drivers) d.finish?.();
    },
    // k6's classic or machine-readable handleSummary data, read into the classic shape (k6-summary-shapes.ts).
    handleSummary: eitherSummaryShape(drivers.map((d) => d.workload), only?.handleSummary ??
      makeSummaryHandler(
        config,
        drivers.map((d) => d.info),
        transport.name,
        only?.runInfo ?? {},
      )),
  };
}
