// The batch job: LLM_BATCH_SIZE requests at a concurrency of LLM_VUS
// (optionally paced at LLM_RATE), judged by aggregate output tokens/s and
// job time; with an embeddings API, LLM_INPUTS_PER_REQUEST texts per
// request, judged by inputs/s.

import { batchJob, describeWorkload, type Client, type WorkloadEnv } from 'k6-llm';
import { thresholdsFrom, type WorkloadPart } from './part.ts';

const WORKLOAD = 'batch';

/** The batch part of a script, from the variables `env` read (mixed gives it its own concurrency). */
export function batchPart(env: WorkloadEnv, client: Client): WorkloadPart {
  const { config, settings, slo, shape, prompts } = env;
  const embedding = client.protocol === 'openai-embeddings';
  const perRequest = config.batch.inputsPerRequest;
  const job = batchJob({
    workload: WORKLOAD,
    size: config.batch.size,
    vus: settings.vus,
    duration: env.loadMs,
    gracefulStop: env.gracefulStopMs,
    tags: { model: config.endpoint.model },
    ...(config.load.rate !== null ? { rate: config.load.rate } : {}),
  });
  const { prompts: promptsLine, ...settingsLines } = env.settingsLines;
  describeWorkload({
    workload: WORKLOAD,
    spec: slo,
    settings: {
      ...(embedding ? { vus: settings.vus, protocol: client.protocol, inputsPerRequest: perRequest, prompts: String(promptsLine) } : { ...settingsLines, prompts: String(promptsLine) }),
      concurrency: settings.vus,
      pacing: config.load.rate === null ? 'none' : `${config.load.rate}/s`,
    },
    // This instance's share under a segment (read by the summary, after the run), so its report does not call the job unfinished.
    batch: {
      get jobSize(): number {
        return job.instanceSize();
      },
    },
    ...(embedding ? { embeddings: { inputsPerRequest: perRequest } } : {}),
    banner: `${WORKLOAD} ${thresholdsFrom(slo)}`,
    underSegment: (at) => ({
      note:
        `batch: this instance sends ${job.instanceItems(at)} of the job's ${config.batch.size} items; its llm_batch_job_ms ` +
        `runs from its own start to its own last answer: the job's time is the latest instance's (merge the instances)`,
    }),
  });
  return {
    workload: WORKLOAD,
    slo,
    scenarios: { [WORKLOAD]: job.scenario },
    // Alone in a run, the probe stops with the job (in mixed, the other workloads keep it busy).
    probe: job.probe,
    probeRun: job.probeRun,
    run(start) {
      const index = job.next(start);
      if (index === null) return;
      // The meter counts the request as done when its response has ended.
      const sent = { progressKey: job.progressKey };
      const result = embedding ? client.embed(prompts.embeddingInputs(index, perRequest), sent) : client.chat(prompts.request(index, shape), sent);
      job.itemDone(result, start);
    },
  };
}
