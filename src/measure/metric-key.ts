// k6's names for sub-metrics, `<metric>{tag:value,...}`: the keys thresholds
// register and handleSummary's data is read by. One builder, so the key a
// workload registers is, character for character, the key its report reads.

/** Tags of a sub-metric, in the order k6 prints them. */
export type MetricTags = Readonly<Record<string, string | number>>;

/** `metric{k:v,...}` with the tags in the given order; the bare name without tags. */
export function subMetricKey(metric: string, tags: MetricTags): string {
  const parts = Object.entries(tags).map(([k, v]) => `${k}:${v}`);
  return parts.length === 0 ? metric : `${metric}{${parts.join(',')}}`;
}

/** A workload's sub-metric: `metric{workload:X}`, then the `more` tags, e.g. `llm_errors{workload:chat,error:timeout}`. */
export function workloadKey(metric: string, workload: string, more: MetricTags = {}): string {
  return subMetricKey(metric, { workload, ...more });
}
