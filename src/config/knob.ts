// One knob: an LLM_* variable with its default, meaning, scope and parser,
// declared once beside the option type it fills (src/config/<concern>.ts).
// The configuration reader, the workload scope check, the CLI and the
// configuration reference (docs/configuration.md, npm run docs:config) all
// read these declarations.

/** Every built-in workload, one script each (dist/<name>.js). */
export const WORKLOAD_NAMES = ['chat', 'realtime', 'batch', 'mixed', 'coldstart', 'availability', 'ramp'] as const;
/** A built-in workload's name: one of WORKLOAD_NAMES (chat, realtime, batch, mixed, coldstart, availability, ramp). */
export type WorkloadName = (typeof WORKLOAD_NAMES)[number];

/** Every workload. */
export const ALL: readonly WorkloadName[] = WORKLOAD_NAMES;
/** Every workload whose length is LLM_DURATION (not coldstart: its probes; not ramp: its levels). */
export const TIMED: readonly WorkloadName[] = ['chat', 'realtime', 'batch', 'mixed', 'availability'];
/** Workloads whose requests follow a generated schedule (LLM_ARRIVAL). */
export const SCHEDULED: readonly WorkloadName[] = ['chat', 'realtime', 'mixed'];

/** One LLM_* variable and how it becomes a typed value. */
export interface Knob<V> {
  /** The variable, e.g. LLM_VUS. */
  readonly env: string;
  /** Its default as a user would write it; '' when unset means "the workload's default" or "none". */
  readonly default: string;
  /** How the reference shows a default of '' (Markdown), when it depends on the workload or another knob; else the reference shows `default`, or "(none)". */
  readonly defaultText?: string;
  /** What it does: the reference's one line of Markdown (docs/configuration.md). */
  readonly description: string;
  /** The workloads it applies to; set for any other, it is refused before load. */
  readonly workloads: readonly WorkloadName[];
  /** The value of `text` (the default when the variable is unset); throws a ConfigError naming the variable. */
  parse(text: string): V;
}

/** The knobs of one option type: one per field. */
export type Knobs<T> = { readonly [K in keyof T]-?: Knob<T[K]> };

/** Declares a knob (the parser gets the variable's name for its errors). */
export function knob<V>(
  env: string,
  spec: { default: string; defaultText?: string; description: string; workloads: readonly WorkloadName[]; parse: (text: string, env: string) => V },
): Knob<V> {
  return {
    env,
    default: spec.default,
    ...(spec.defaultText !== undefined ? { defaultText: spec.defaultText } : {}),
    description: spec.description,
    workloads: spec.workloads,
    parse: (text) => spec.parse(text, env),
  };
}

/** Reads every knob of `knobs` from `text` (a variable's text, '' when unset) into the option type. */
export function readKnobs<T>(knobs: Knobs<T>, text: (env: string) => string): T {
  const out: Partial<T> = {};
  for (const field of Object.keys(knobs) as (keyof T)[]) {
    const k = knobs[field];
    const given = text(k.env);
    out[field] = k.parse(given === '' ? k.default : given);
  }
  return out as T;
}
