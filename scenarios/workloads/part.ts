// What one built-in workload brings to a script (its scenarios, SLO, probe
// and iteration), and the script every scenarios/*.ts is made from: the
// k6 options, setup, iterations, teardown and handleSummary, all from the
// public API (this folder imports nothing but 'k6-llm').

import {
  arrivals,
  closedUsers,
  describeWorkload,
  generatorProbe,
  llmOptions,
  llmSetup,
  llmSummary,
  llmTeardown,
  type Arrivals,
  type Client,
  type LlmOptionsExtras,
  type RunStart,
  type ScenarioOptions,
  type Slo,
  type SummaryOutputs,
  type WorkloadEnv,
} from 'k6-llm';
import type { Options } from 'k6/options';

/** One workload's part of a built-in script. */
export interface WorkloadPart {
  workload: string;
  slo: Slo | null;
  /** Its k6 scenarios by name (one named after the workload; a ramp has one per level). */
  scenarios: Record<string, ScenarioOptions>;
  /** The generator probe beside it: the default one (undefined), its own (alone in a run), or none (null). */
  probe?: ScenarioOptions | null;
  /** The probe's iteration when the workload has its own (batch stops it with the job). */
  probeRun?: () => void;
  /** Sub-metric registrations and stop rules beyond the SLO's. */
  workloadThresholds?: LlmOptionsExtras['workloadThresholds'];
  /** More trend statistics its report reads. */
  summaryTrendStats?: string[];
  /** One iteration of its scenarios (setup's result as data); k6 waits for a promise it returns. */
  run(start: RunStart): void | Promise<void>;
  /** Its own handleSummary (the ramp's reports) instead of the LLM summary. */
  handleSummary?: (data: unknown) => SummaryOutputs;
  /** Run facts of its own for the report (coldstart: idle, probes). */
  runFacts?: Record<string, string | number>;
}

/** The exports of one built-in script. */
export interface BuiltinScript {
  options: Options;
  setup(): RunStart;
  exec(workload: string): (start: RunStart) => void | Promise<void>;
  generatorProbe(): void;
  teardown(): void;
  handleSummary(data: unknown): SummaryOutputs;
}

/** The built-in script of `parts`, read from `env` (the first part's: they share the endpoint and the run's knobs). */
export function builtinScript(env: WorkloadEnv, client: Client, parts: WorkloadPart[]): BuiltinScript {
  const { config, loadMs } = env;
  const only = parts.length === 1 ? parts[0] : undefined;
  const scenarios: Record<string, ScenarioOptions> = {};
  const slo: Record<string, Slo | null> = {};
  const workloadThresholds: NonNullable<LlmOptionsExtras['workloadThresholds']> = {};
  const stats: string[] = [];
  for (const part of parts) {
    Object.assign(scenarios, part.scenarios);
    slo[part.workload] = part.slo;
    for (const [key, list] of Object.entries(part.workloadThresholds ?? {})) workloadThresholds[key] = [...(workloadThresholds[key] ?? []), ...list];
    stats.push(...(part.summaryTrendStats ?? []));
  }
  // The generator self-check: one VU for the load window, unless a workload has its own or none.
  const probe = parts.every((p) => p.probe !== null) ? ((only?.probe ?? undefined) ?? probeScenario(loadMs)) : null;
  const noop = (): void => {};
  return {
    options: llmOptions({
      scenarios,
      slo,
      probe,
      workloadThresholds,
      summaryTrendStats: stats,
      ...(config.endpoint.insecureTls ? { insecureSkipTLSVerify: true } : {}),
    }),
    setup: () => llmSetup({ notices: config.notices, lines: [`transport ${client.transport}`] }),
    exec: (workload) => parts.find((p) => p.workload === workload)?.run ?? noop,
    generatorProbe: only?.probeRun ?? generatorProbe,
    teardown: llmTeardown,
    handleSummary:
      only?.handleSummary ??
      llmSummary({ run: { stream: String(config.request.stream), duration: `${config.load.durationMs / 1000}s`, seed: config.load.seed, ...only?.runFacts } }),
  };
}

/** The default generator probe: one VU for the load window. */
function probeScenario(loadMs: number): ScenarioOptions {
  return closedUsers({ vus: 1, duration: loadMs, gracefulStop: '1s', exec: 'generatorProbe', tags: { workload: 'generator_probe' } });
}

/** A duration in ms as k6 and the reports write it: 2s, or 1500ms. */
export function durationText(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/** The banner's usual part: where the workload's thresholds come from. */
export function thresholdsFrom(slo: Slo | null): string {
  return `thresholds from ${slo?.source ?? 'none (LLM_THRESHOLDS=none)'}`;
}

/**
 * The open-loop schedule the LLM_* variables describe (LLM_ARRIVAL, LLM_RATE,
 * LLM_BURSTINESS, LLM_TRACE, ...) for `workload`, described to the report with
 * its arrivals (chat's open mode and realtime share it).
 */
export function scheduleFromEnv(env: WorkloadEnv, workload: string, tags: Record<string, string>): Arrivals {
  const { config, settings, slo } = env;
  const schedule = arrivals({
    workload,
    pattern: settings.arrival,
    rate: settings.rate,
    duration: env.loadMs,
    gracefulStop: env.gracefulStopMs,
    vus: settings.vus,
    seed: settings.seed,
    burstiness: config.load.burstiness,
    rampFrom: config.load.rampFrom,
    maxLag: config.load.maxLagMs,
    tags,
    ...(config.load.trace !== null ? { trace: config.load.trace } : {}),
  });
  describeWorkload({
    workload,
    spec: slo,
    settings: env.settingsLines,
    arrivals: { pattern: settings.arrival, ratePerSec: settings.arrival === 'trace' ? null : settings.rate, scheduled: schedule.length, maxLagMs: config.load.maxLagMs },
    banner: `${workload} ${thresholdsFrom(slo)}`,
  });
  return schedule;
}
