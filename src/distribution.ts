// Numeric distributions written as one short string, shared by token lengths
// (LLM_PROMPT_TOKENS, LLM_TURNS) and durations (LLM_THINK_TIME):
//   512 · uniform:100:500 · normal:MEAN:SD[:MIN:MAX] · exp:MEAN · list:100,200,300
// Values are parsed by the caller's unit parser (whole numbers, or k6 durations).

import { invalid } from './errors.ts';
import type { Random } from './random.ts';
import { exponential, standardNormal } from './random.ts';

/** A parsed distribution; values are in the caller's unit (tokens, ms...). */
export type Distribution =
  | { kind: 'fixed'; value: number }
  | { kind: 'uniform'; min: number; max: number }
  | { kind: 'normal'; mean: number; sd: number; min: number; max: number }
  | { kind: 'exp'; mean: number; max: number }
  | { kind: 'list'; values: number[] };

/** How a distribution's values are read and bounded. */
export interface ValueUnit {
  /** The value in the unit, or null when the text is not one. */
  parse(text: string): number | null;
  /** Smallest allowed value. */
  min: number;
  /** Round samples to whole numbers (token counts). */
  integer: boolean;
  /** What a value looks like, for error messages, e.g. "a whole number" or "a duration such as 2s". */
  example: string;
}

/** Whole numbers of tokens (≥ 1) or turns. */
export const TOKENS: ValueUnit = {
  parse: (t) => (/^\s*\d+\s*$/.test(t) ? Number(t) : null),
  min: 1,
  integer: true,
  example: 'a whole number',
};

/** Whole numbers from 0: counts that may be none (images per request). */
export const COUNTS: ValueUnit = {
  parse: TOKENS.parse,
  min: 0,
  integer: true,
  example: 'a whole number',
};

/** The largest value a distribution can give (its bound, or its largest listed value). */
export function largest(dist: Distribution): number {
  switch (dist.kind) {
    case 'fixed':
      return dist.value;
    case 'list':
      return Math.max(...dist.values);
    default:
      return dist.max;
  }
}

/** Parses `text` as a distribution; errors name `variable`. */
export function parseDistribution(variable: string, text: string, unit: ValueUnit): Distribution {
  const expected =
    `${unit.example} (fixed), uniform:MIN:MAX, normal:MEAN:SD[:MIN:MAX], exp:MEAN or list:A,B,C` +
    (unit.min > 0 ? `, values >= ${unit.min}` : '');
  const value = (part: string | undefined): number => {
    const v = part === undefined ? null : unit.parse(part);
    if (v === null || !Number.isFinite(v) || v < unit.min) throw invalid(variable, expected, text);
    return v;
  };
  const [kind, ...rest] = text.trim().split(':');
  const args = rest.length === 0 ? [] : rest;
  switch (kind) {
    case 'uniform': {
      if (args.length !== 2) throw invalid(variable, expected, text);
      const min = value(args[0]);
      const max = value(args[1]);
      if (max < min) throw invalid(variable, `uniform:MIN:MAX with MIN <= MAX`, text);
      return { kind: 'uniform', min, max };
    }
    case 'normal': {
      if (args.length !== 2 && args.length !== 4) throw invalid(variable, expected, text);
      const mean = value(args[0]);
      const sdText = args[1] as string;
      // The spread may be 0 even when values must be >= 1.
      const sd = unit.parse(sdText);
      if (sd === null || !(sd >= 0)) throw invalid(variable, expected, text);
      const min = args.length === 4 ? value(args[2]) : Math.max(unit.min, mean - 4 * sd);
      const max = args.length === 4 ? value(args[3]) : mean + 4 * sd;
      if (max < min || mean < min || mean > max) throw invalid(variable, 'normal:MEAN:SD:MIN:MAX with MIN <= MEAN <= MAX', text);
      return { kind: 'normal', mean, sd, min, max };
    }
    case 'exp': {
      if (args.length !== 1) throw invalid(variable, expected, text);
      const mean = value(args[0]);
      // The tail is cut at 10 means so one sample cannot stall a run.
      return { kind: 'exp', mean, max: 10 * mean };
    }
    case 'list': {
      if (args.length !== 1 || (args[0] as string).trim() === '') throw invalid(variable, expected, text);
      return { kind: 'list', values: (args[0] as string).split(',').map((v) => value(v)) };
    }
    default:
      if (args.length !== 0) throw invalid(variable, expected, text);
      return { kind: 'fixed', value: value(kind) };
  }
}

/** One sample; integer units are rounded, every sample stays within the distribution's bounds. */
export function sample(dist: Distribution, random: Random, integer: boolean): number {
  let v: number;
  switch (dist.kind) {
    case 'fixed':
      return dist.value;
    case 'uniform':
      // Integers: every whole value in [min, max] equally likely.
      v = integer ? dist.min + Math.floor(random() * (dist.max - dist.min + 1)) : dist.min + random() * (dist.max - dist.min);
      return Math.min(v, dist.max);
    case 'normal':
      v = dist.mean + dist.sd * standardNormal(random);
      v = Math.min(dist.max, Math.max(dist.min, v));
      break;
    case 'exp':
      v = Math.min(dist.max, exponential(random, dist.mean));
      break;
    case 'list':
      return dist.values[Math.floor(random() * dist.values.length)] as number;
  }
  return integer ? Math.round(v) : v;
}

/** The distribution's mean (before rounding), for sizing and reports. */
export function mean(dist: Distribution): number {
  switch (dist.kind) {
    case 'fixed':
      return dist.value;
    case 'uniform':
      return (dist.min + dist.max) / 2;
    case 'normal':
      return dist.mean;
    case 'exp':
      return dist.mean;
    case 'list':
      return dist.values.reduce((a, b) => a + b, 0) / dist.values.length;
  }
}

/** A short text form, e.g. "uniform:100:500", for reports. */
export function describe(dist: Distribution): string {
  switch (dist.kind) {
    case 'fixed':
      return String(dist.value);
    case 'uniform':
      return `uniform:${dist.min}:${dist.max}`;
    case 'normal':
      return `normal:${dist.mean}:${dist.sd}:${dist.min}:${dist.max}`;
    case 'exp':
      return `exp:${dist.mean}`;
    case 'list':
      return `list:${dist.values.join(',')}`;
  }
}
