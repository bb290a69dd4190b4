// The two named results of a ramp, found on the per-level table by
// documented rules (docs/ramp.md). Pure, and written for noisy and
// non-monotone tables: a level that measured nothing is skipped, and neither
// rule trusts one level's figure alone.

/** What the rules read of one level. */
export interface DetectionLevel {
  /** Concurrent streams or requests/s. */
  value: number;
  /** Aggregate output tokens/s at steady state; null when not measured. */
  throughput: number | null;
  /** Whether every SLO threshold held; null when none could be judged. */
  sloOk: boolean | null;
  /** False for a level cut short (the run stopped during it) or without steady-state requests. */
  usable: boolean;
}

/** Saturation point: index into the levels, or null with the reason. */
export interface SaturationResult {
  index: number | null;
  reason: string;
}

/** SLO limit: index into the levels, or null with the reason; firstFailing is the first level that broke an SLO. */
export interface SloLimitResult {
  index: number | null;
  firstFailing: number | null;
  /** True when even the highest measured level met every SLO: the limit is at or above it. */
  atOrAbove: boolean;
  reason: string;
  warnings: string[];
}

function pct(n: number): string {
  return `${Math.round(n * 10) / 10} %`;
}

/**
 * Saturation point: the first level after which aggregate throughput stops
 * growing, i.e. no higher level beats its throughput by `minGainPct` % or
 * more. Looking at every higher level, not just the next one, makes a
 * noisy step or a dip (non-monotone table) neither end the search early nor
 * hide a later plateau. Null while throughput still grows at the highest
 * measured level.
 */
export function findSaturation(levels: readonly DetectionLevel[], minGainPct: number): SaturationResult {
  const measured = levels.map((l, i) => ({ ...l, i })).filter((l) => l.usable && l.throughput !== null && Number.isFinite(l.throughput));
  if (measured.length < 2) {
    return { index: null, reason: `needs at least two measured levels, got ${measured.length}` };
  }
  const factor = 1 + minGainPct / 100;
  // Best throughput at any higher level, from the top down.
  const bestAbove: number[] = new Array(measured.length).fill(-Infinity);
  for (let k = measured.length - 2; k >= 0; k--) {
    bestAbove[k] = Math.max(bestAbove[k + 1] as number, measured[k + 1]?.throughput as number);
  }
  for (let k = 0; k < measured.length - 1; k++) {
    const here = measured[k]?.throughput as number;
    const above = bestAbove[k] as number;
    if (above < here * factor) {
      const gain = here > 0 ? (above / here - 1) * 100 : 0;
      return {
        index: measured[k]?.i as number,
        reason: `no higher level raised aggregate throughput by ${minGainPct} % or more (best gain above it ${pct(gain)})`,
      };
    }
  }
  const last = measured[measured.length - 1] as (typeof measured)[number];
  const prev = measured[measured.length - 2] as (typeof measured)[number];
  const gain = (prev.throughput as number) > 0 ? ((last.throughput as number) / (prev.throughput as number) - 1) * 100 : Infinity;
  return {
    index: null,
    reason: `throughput still grew at the highest measured level (${pct(gain)} over the level below): add higher levels`,
  };
}

/**
 * SLO limit: the highest level at which every threshold of the SLO file held,
 * counted from the bottom: the level just below the first level that broke
 * one. A level above that which passes again does not raise the limit (it is
 * reported as a warning): a limit must hold at every load below it.
 */
export function findSloLimit(levels: readonly DetectionLevel[], hasSlo: boolean): SloLimitResult {
  if (!hasSlo) return { index: null, firstFailing: null, atOrAbove: false, reason: 'no SLO file applied (LLM_THRESHOLDS=none)', warnings: [] };
  const judged = levels.map((l, i) => ({ ...l, i })).filter((l) => l.usable && l.sloOk !== null);
  if (judged.length === 0) return { index: null, firstFailing: null, atOrAbove: false, reason: 'no level could be judged', warnings: [] };
  const failAt = judged.findIndex((l) => l.sloOk === false);
  const warnings: string[] = [];
  if (failAt >= 0) {
    const failing = judged[failAt] as (typeof judged)[number];
    for (const later of judged.slice(failAt + 1)) {
      if (later.sloOk) {
        warnings.push(
          `level ${later.value} met every SLO again above level ${failing.value}, the first that broke one: ` +
            'the endpoint is noisy near its limit (longer levels give steadier figures)',
        );
      }
    }
    if (failAt === 0) {
      return { index: null, firstFailing: failing.i, atOrAbove: false, reason: `the lowest level (${failing.value}) already broke an SLO`, warnings };
    }
    const limit = judged[failAt - 1] as (typeof judged)[number];
    return {
      index: limit.i,
      firstFailing: failing.i,
      atOrAbove: false,
      reason: `highest level below ${failing.value}, the first level that broke an SLO`,
      warnings,
    };
  }
  const top = judged[judged.length - 1] as (typeof judged)[number];
  return {
    index: top.i,
    firstFailing: null,
    atOrAbove: true,
    reason: `every measured level met every SLO: the limit is at ${top.value} or above (add higher levels)`,
    warnings,
  };
}
