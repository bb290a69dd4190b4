// How k6 splits one schedule over several instances (execution segments).
//
// Every open-model workload runs its schedule with a shared-iterations
// scenario of N iterations, one per arrival, and takes arrival
// exec.scenario.iterationInTest. k6 hands each instance a disjoint stripe of
// those global iteration numbers, so the instances together replay the
// whole schedule, each spread over the whole run (not a block of it). This
// file is a port of k6's striping (lib/execution_segment.go,
// GetStripedOffsets, and shared-iterations' split by VUs) so unit tests can
// show the union property without k6; the k6 shell never calls it.

import { invalid } from '../errors.ts';

/** A fraction num/den. */
interface Fraction {
  num: number;
  den: number;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** Parses k6's segment values: "0", "1", "1/3", "0.25", "25%". */
export function parseFraction(text: string): Fraction {
  const t = text.trim();
  let f: Fraction | null = null;
  if (/^\d+\/\d+$/.test(t)) {
    const [n, d] = t.split('/').map(Number) as [number, number];
    if (d > 0) f = { num: n, den: d };
  } else if (/^\d+(\.\d+)?%$/.test(t)) {
    const decimals = (t.split('.')[1] ?? '').length - 1;
    const den = 100 * 10 ** Math.max(0, decimals);
    f = { num: Math.round(Number(t.slice(0, -1)) * 10 ** Math.max(0, decimals)), den };
  } else if (/^\d+(\.\d+)?$/.test(t)) {
    const decimals = (t.split('.')[1] ?? '').length;
    f = { num: Math.round(Number(t) * 10 ** decimals), den: 10 ** decimals };
  }
  if (!f || f.num > f.den) throw invalid('execution segment', 'a fraction from 0 to 1 such as 1/3, 0.25 or 25%', text);
  const g = gcd(f.num, f.den) || 1;
  return { num: f.num / g, den: f.den / g };
}

/**
 * The global iteration numbers in [0, total) that the instance running
 * `segment` (e.g. "1/3:2/3") of `sequence` (e.g. "0,1/3,2/3,1") gets.
 */
export function segmentIterations(total: number, sequence: string, segment: string): number[] {
  const points = sequence.split(',').map(parseFraction);
  const [fromText, toText] = segment.split(':');
  if (toText === undefined) throw invalid('execution segment', 'FROM:TO such as 0:1/2', segment);
  const from = parseFraction(fromText as string);
  const to = parseFraction(toText);
  const value = (f: Fraction): number => f.num / f.den;
  const index = points.findIndex((p, i) => i + 1 < points.length && value(p) === value(from) && value(points[i + 1] as Fraction) === value(to));
  if (index < 0) throw invalid('execution segment', `one of the segments of ${sequence}`, segment);

  // Segment lengths as fractions, normalised to their least common denominator.
  const lengths = points.slice(1).map((p, i) => {
    const q = points[i] as Fraction;
    const num = p.num * q.den - q.num * p.den;
    const den = p.den * q.den;
    const g = gcd(Math.abs(num), den) || 1;
    return { num: num / g, den: den / g };
  });
  const lcd = lengths.reduce((acc, l) => (acc * l.den) / gcd(acc, l.den), 1);
  const sorted = lengths
    .map((l, i) => ({ norm: l.num * (lcd / l.den), original: i }))
    // Stable: biggest segments first, ties in sequence order (as k6's sort.SliceStable).
    .sort((a, b) => b.norm - a.norm);
  const chosen = sorted.map(() => 0);
  // Which of the lcd positions in each cycle belong to our segment.
  const mine: number[] = [];
  for (let i = 0; i < lcd; i++) {
    for (let s = 0; s < sorted.length; s++) {
      const entry = sorted[s] as { norm: number; original: number };
      if (entry.norm === 0) continue;
      const num = (chosen[s] as number) * lcd;
      const q = Math.floor(num / entry.norm);
      if (i > q || (i === q && num % entry.norm === 0)) {
        chosen[s] = (chosen[s] as number) + 1;
        if (entry.original === index) mine.push(i);
        break;
      }
    }
  }
  const out: number[] = [];
  for (let base = 0; base < total; base += lcd) {
    for (const offset of mine) if (base + offset < total) out.push(base + offset);
  }
  return out;
}

/**
 * The global iteration numbers a shared-iterations scenario of `total`
 * iterations on `vus` VUs gives the instance running `segment`. k6 first
 * splits the VUs over the segments, then splits the iterations in
 * proportion to each instance's VUs (an instance without VUs gets none), so
 * the split follows the VUs while the union stays 0..total−1.
 */
export function sharedIterationsStripe(total: number, vus: number, sequence: string, segment: string): number[] {
  const points = sequence.split(',');
  const segments = points.slice(1).map((p, i) => `${points[i]}:${p}`);
  const index = segments.findIndex((s) => sameSegment(s, segment));
  if (index < 0) throw invalid('execution segment', `one of the segments of ${sequence}`, segment);
  const vuCounts = segments.map((s) => segmentIterations(vus, sequence, s).length);
  if (vuCounts[index] === 0) return [];
  // The VU shares as a new sequence, without the segments that got no VUs.
  const kept = vuCounts.map((n, i) => ({ n, i })).filter((x) => x.n > 0);
  let cumulative = 0;
  const newPoints = ['0'];
  let newSegment = '';
  for (const { n, i } of kept) {
    const from = `${cumulative}/${vus}`;
    cumulative += n;
    newPoints.push(`${cumulative}/${vus}`);
    if (i === index) newSegment = `${from}:${cumulative}/${vus}`;
  }
  return segmentIterations(total, newPoints.join(','), newSegment);
}

function sameSegment(a: string, b: string): boolean {
  const [a0, a1] = a.split(':');
  const [b0, b1] = b.split(':');
  const v = (t: string | undefined): number => {
    const f = parseFraction(t ?? '');
    return f.num / f.den;
  };
  return v(a0) === v(b0) && v(a1) === v(b1);
}

/** Where one instance stands in a segmented test (k6's --execution-segment and --execution-segment-sequence). */
export interface InstanceSegment {
  /** True when this instance runs the whole test (no segment, or 0:1). */
  whole: boolean;
  /** The segment as given, e.g. "0:1/2"; "0:1" when none was given. */
  segment: string;
  /** The sequence the segment is striped in: the given one, or k6's own 0,FROM,TO,1 without one. */
  sequence: string;
}

/**
 * The instance's segment from k6's test options (null or undefined: not
 * given). Throws a ConfigError for a segment inside the test (neither from 0
 * nor to 1) without a sequence: k6 then stripes each instance in its own
 * sequence, and instances 0:1/3, 1/3:2/3 and 2/3:1 overlap.
 */
export function instanceSegment(segment: string | null | undefined, sequence: string | null | undefined): InstanceSegment {
  if (!segment) return { whole: true, segment: '0:1', sequence: '0,1' };
  const [fromText, toText] = segment.split(':');
  if (toText === undefined) throw invalid('--execution-segment', 'FROM:TO such as 0:1/2', segment);
  const value = (t: string): number => ((f) => f.num / f.den)(parseFraction(t));
  const from = value(fromText as string);
  const to = value(toText);
  const whole = from === 0 && to === 1;
  if (sequence) return { whole, segment, sequence };
  if (!whole && from !== 0 && to !== 1) {
    throw invalid(
      '--execution-segment-sequence',
      `the sequence every instance shares (e.g. 0,${fromText},${toText},1) beside --execution-segment ${segment}, or k6 stripes each instance on its own and they overlap`,
      'none',
    );
  }
  const points = ['0', fromText as string, toText, '1'].filter((p, i, all) => all.findIndex((q) => value(q) === value(p)) === i);
  return { whole, segment, sequence: points.join(',') };
}

/**
 * The global numbers in [0, count) this instance holds of a count k6 splits
 * by segment: the VUs of a constant-vus pool (users 0..count−1), a probe's
 * one VU. k6 hands each instance the same stripe it uses for iterations.
 */
export function segmentShare(count: number, at: InstanceSegment): number[] {
  return at.whole ? Array.from({ length: count }, (_, i) => i) : segmentIterations(count, at.sequence, at.segment);
}
