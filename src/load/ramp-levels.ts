// A ramp: load stepped through levels (concurrent streams, or arrival rates),
// one k6 scenario per level started after the other, each with its own
// generator probe, every sample tagged with its level and the level_phase
// its request ended in (warmup, steady, drain). Its report finds the
// saturation point and judges each level by the SLO; a stop rule (k6
// thresholds that abort) ends the run past a level far beyond the SLO.

import exec from 'k6/execution';
import type { Options } from 'k6/options';
import type { Client } from '../client/client.ts';
import type { ChatRequest, LlmResult } from '../client/requests.ts';
import type { RampConfig } from '../config/ramp.ts';
import type { ReportConfig } from '../config/report.ts';
import { llmRampBusyMs, llmRampWindowTokens } from '../k6/metrics.ts';
import { closedPoolUser } from '../k6/segment.ts';
import { rampWorkloadOptions } from '../ramp/options.ts';
import { levelPhaseAt, RAMP_WORKLOAD, rampPlan, windowShare, type RampPlan } from '../ramp/plan.ts';
import { eitherSummaryShape } from '../k6-summary-shapes.ts';
import { rampRequestIndex } from '../ramp/shapes.ts';
import { makeRampSummaryHandler, stopRuleText } from '../ramp/summary-handler.ts';
import { notedClients } from '../run/registry.ts';
import type { LlmOptionsExtras } from '../run/options.ts';
import type { Slo } from '../run/slo.ts';

/** A ramp: the ramp's own knobs (as LLM_LEVELS and its neighbours set them), its SLO and what its reports say of its requests. */
export interface RampOptions extends RampConfig {
  /** The SLO each level is judged by (and the stop rule's bounds); null: none. */
  slo: Slo | null;
  /** The model tag of every level's samples. */
  model: string;
  /** What the report says the requests were: max_tokens and streaming. */
  request: { maxTokens: number | null; stream: boolean };
}

/** The ramp's scenarios, what each of their iterations does, and its reports. */
export interface Ramp {
  /** The levels back to back: each one's value, label, scenarios and times. */
  readonly plan: RampPlan;
  /** The ramp's part of llmOptions: every level's scenarios, registrations, stop rules and trend statistics. */
  readonly options: Pick<Options, 'scenarios' | 'summaryTrendStats'> & Pick<LlmOptionsExtras, 'workloadThresholds'>;
  /** setup()'s line about the ramp. */
  readonly banner: string;
  /** This request's index among all the run's requests (unique across VUs and levels: no prompt repeats at the next level). */
  requestIndex(): number;
  /** Sends one request of the current level through `client`, tagged with its level_phase, adding its share of the level's steady window. */
  send(client: Client, request: ChatRequest): LlmResult;
  /** The ramp's handleSummary: per-level table, ramp.json, ramp.html, the charts and the whole run's llm-summary.json. */
  summary(report: Pick<ReportConfig, 'outDir' | 'summaryJson' | 'lagWarnMs'>, shape: string): (data: unknown) => Record<string, string>;
}

/** The ramp `options` describe (call it in the init context). */
export function rampLevels(options: RampOptions): Ramp {
  const plan = rampPlan(options);
  const part = rampWorkloadOptions(options, options.model, plan, options.slo);
  const levelOrdinal = new Map(plan.levels.map((level, i) => [level.scenario, i]));
  return {
    plan,
    options: { scenarios: part.scenarios, workloadThresholds: part.thresholds ?? {}, summaryTrendStats: [...(part.trendStats ?? [])] },
    banner:
      `ramp by ${plan.by} through ${options.levels.join(', ')}, ${options.levelDurationMs / 1000} s per level ` +
      `(${plan.totalMs / 1000} s in all); SLOs from ${options.slo?.source ?? 'none (LLM_THRESHOLDS=none)'}; ${stopRuleText(options)}`,
    requestIndex(): number {
      const level = (levelOrdinal.get(exec.scenario.name) ?? 0) * 1_000_000;
      // A concurrency level's users iterate back to back; a rate level's arrivals are its global iteration numbers.
      const [id, iteration] = plan.by === 'concurrency' ? [level + 1 + closedPoolUser(), exec.vu.iterationInScenario] : [level, exec.scenario.iterationInTest];
      return rampRequestIndex(id, iteration);
    },
    send(client: Client, request: ChatRequest): LlmResult {
      const startedAt = Date.now();
      const levelStart = exec.scenario.startTime;
      const label = plan.levels[levelOrdinal.get(exec.scenario.name) ?? 0]?.label ?? '';
      // A request belongs to the level_phase in which it ended (wall clock: k6 gives the scenario's start in it).
      const result = client.chat(request, {
        level: { label, sinceStartMs: startedAt - levelStart },
        tags: () => ({ level_phase: levelPhaseAt(Date.now() - exec.scenario.startTime, plan) }),
      });
      if (result.error !== 'interrupted') {
        const share = windowShare(result, startedAt, Date.now(), levelStart + plan.warmupMs, levelStart + plan.levelDurationMs);
        llmRampWindowTokens.add(share.tokens);
        llmRampBusyMs.add(share.busyMs);
      }
      return result;
    },
    summary(report, shape) {
      const facts = (): Record<string, string> => {
        const c = notedClients();
        const list = (pick: (x: (typeof c)[number]) => string): string => [...new Set(c.map(pick))].join(', ');
        return { model: list((x) => x.model), baseUrl: list((x) => x.baseUrl), protocol: list((x) => x.protocol), transport: list((x) => x.transport) };
      };
      // k6's classic or machine-readable data (the ramp refuses the latter in one line: its levels are sub-metrics).
      return eitherSummaryShape([RAMP_WORKLOAD], makeRampSummaryHandler({ ramp: options, plan, spec: options.slo, shape, request: options.request, report, facts }));
    },
  };
}
