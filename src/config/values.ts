// The typed readers of single values that the knob declarations use: each
// names the variable (or option) in its error ("invalid X; expected Y, got Z").

import { parseDurationMs } from '../duration.ts';
import { invalid } from '../errors.ts';

/** `off` switches a stop rule off (null); anything else must parse. */
export function offOr<T>(value: string, parse: (v: string) => T): T | null {
  return value.trim().toLowerCase() === 'off' ? null : parse(value);
}

/** A number >= 1 (a stop rule's factor). */
export function factor(name: string, value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 1) throw invalid(name, 'a number >= 1, or off', value);
  return n;
}

/** A number from 0 up to (not including) 1. */
export function fractionBelowOne(name: string, value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n >= 1) throw invalid(name, 'a number from 0 up to (not including) 1, or off', value);
  return n;
}

/** A percentage such as 5% (0 to 1000), as a number. */
export function percent(name: string, value: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(value);
  const n = m ? Number(m[1]) : NaN;
  if (!(n >= 0 && n <= 1000)) throw invalid(name, 'a percentage such as 5% (0 to 1000)', value);
  return n;
}

/** null for an unset (empty) value, else parse(value). */
export function optional<T>(value: string, parse: (v: string) => T): T | null {
  return value.trim() === '' ? null : parse(value);
}

/** A number > 0; `what` says what it counts. */
export function positive(name: string, value: string, what: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw invalid(name, `a number > 0 (${what})`, value);
  return n;
}

/** A number from 0 to 1. */
export function fraction(name: string, value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) throw invalid(name, 'a number from 0 to 1', value);
  return n;
}

/** The value, which must not be blank. */
export function nonEmpty(name: string, value: string): string {
  if (value.trim() === '') throw invalid(name, 'a non-empty string', value);
  return value;
}

/** The value, which must be one of `choices`. */
export function oneOf(name: string, value: string, choices: string[]): string {
  if (!choices.includes(value)) throw invalid(name, `one of ${choices.join(', ')}`, value);
  return value;
}

/** A duration such as 500ms or 2m, in ms, at least minMs. */
export function duration(name: string, value: string, minMs: number): number {
  const ms = parseDurationMs(value);
  if (ms === null || ms < minMs) {
    throw invalid(name, `a duration such as 500ms, 30s or 2m${minMs > 0 ? ` (at least ${minMs} ms)` : ''}`, value);
  }
  return ms;
}

/** A whole number from min to max. */
export function integer(name: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || n < min || n > max) throw invalid(name, `a whole number from ${min} to ${max}`, value);
  return n;
}

/** A finite number >= min. */
export function number(name: string, value: string, min: number): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < min) throw invalid(name, `a number >= ${min}`, value);
  return n;
}

/** true/1 or false/0. */
export function boolean(name: string, value: string): boolean {
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw invalid(name, 'true or false', value);
}
