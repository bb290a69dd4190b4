// The ramp's detection rules on synthetic level tables: a clean knee, noise
// around the plateau, dips and bumps (non-monotone), still growing at the
// top, levels that measured nothing, and the SLO limit counted from the
// bottom with a warning when a level passes again above the first failure.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { findSaturation, findSloLimit, type DetectionLevel } from '../../../src/ramp/detect.ts';

const LEVELS = [1, 2, 4, 8, 16, 32, 64];

/** A table of the doubling levels with these throughputs (null: not measured) and SLO verdicts. */
function table(throughput: (number | null)[], slo: (boolean | null)[] = []): DetectionLevel[] {
  return throughput.map((t, i) => ({ value: LEVELS[i] ?? i, throughput: t, sloOk: slo[i] ?? null, usable: t !== null }));
}

function saturationLevel(levels: DetectionLevel[], gain = 5): number | null {
  const r = findSaturation(levels, gain);
  return r.index === null ? null : (levels[r.index] as DetectionLevel).value;
}

describe('findSaturation', () => {
  it('finds the knee of a clean curve (linear up to 16, flat after)', () => {
    assert.equal(saturationLevel(table([62, 124, 248, 496, 990, 995, 993])), 16);
  });

  it('ignores noise of a few percent on the plateau', () => {
    assert.equal(saturationLevel(table([60, 121, 245, 490, 980, 1019, 1003])), 16); // +4 % at 32
    assert.equal(saturationLevel(table([60, 121, 245, 490, 980, 951, 1012])), 16); // dip then +3 %
  });

  it('a noisy bump above the threshold moves the point by one level at most', () => {
    assert.equal(saturationLevel(table([60, 121, 245, 490, 980, 1040, 1010])), 32); // +6 % at 32
  });

  it('a dip below the knee does not stop the search (non-monotone)', () => {
    // 8 reads low (e.g. a hiccup), 16 recovers and keeps growing to 32.
    assert.equal(saturationLevel(table([60, 120, 240, 200, 500, 990, 1000])), 32);
  });

  it('a plateau that resumes growing is not the saturation point', () => {
    // 4 → 8 flat, then growth again: the endpoint scaled out; saturation is where it finally flattens.
    assert.equal(saturationLevel(table([100, 200, 400, 405, 800, 1200, 1210])), 32);
  });

  it('throughput that collapses past the knee (errors) still marks the knee', () => {
    assert.equal(saturationLevel(table([60, 120, 240, 480, 950, 400, 30])), 16);
  });

  it('saturated from the first level', () => {
    assert.equal(saturationLevel(table([100, 102, 99, 101, 100, 98, 97])), 1);
  });

  it('is null while throughput still grows at the highest level', () => {
    const r = findSaturation(table([60, 120, 240, 480, 960, 1900, 2600]), 5);
    assert.equal(r.index, null);
    assert.match(r.reason, /still grew .* add higher levels/);
  });

  it('skips levels that measured nothing and levels cut short', () => {
    const levels = table([60, 120, null, 480, 950, 2000, 965]);
    levels[5] = { ...(levels[5] as DetectionLevel), usable: false }; // cut short: its figure means nothing
    assert.equal(saturationLevel(levels), 16);
    // With 32 ignored, 16 is the last usable level: nothing above it proves the plateau.
    const onlyGrowth = table([60, 120, 240, 480, 950, 300, null]);
    onlyGrowth[5] = { ...(onlyGrowth[5] as DetectionLevel), usable: false };
    assert.equal(findSaturation(onlyGrowth, 5).index, null);
  });

  it('needs two measured levels', () => {
    assert.equal(findSaturation(table([100]), 5).index, null);
    assert.match(findSaturation(table([null, 100]), 5).reason, /at least two measured levels, got 1/);
  });

  it('the gain threshold is a knob', () => {
    const t = table([60, 121, 245, 490, 980, 1040, 1010]);
    assert.equal(saturationLevel(t, 5), 32);
    assert.equal(saturationLevel(t, 10), 16);
    assert.equal(saturationLevel(t, 0), 32); // any gain counts: 1040 is the peak
  });
});

function limitLevel(levels: DetectionLevel[]): number | null {
  const r = findSloLimit(levels, true);
  return r.index === null ? null : (levels[r.index] as DetectionLevel).value;
}

describe('findSloLimit', () => {
  const t = (slo: (boolean | null)[]): DetectionLevel[] => table([1, 2, 3, 4, 5, 6, 7], slo);

  it('is the level below the first that broke an SLO', () => {
    const r = findSloLimit(t([true, true, true, true, true, false, false]), true);
    assert.equal(r.index, 4);
    assert.equal(r.firstFailing, 5);
    assert.equal(r.atOrAbove, false);
    assert.deepEqual(r.warnings, []);
  });

  it('does not rise above a failure when a higher level passes again (non-monotone), and warns', () => {
    const r = findSloLimit(t([true, true, true, false, true, false, false]), true);
    assert.equal(limitLevel(t([true, true, true, false, true, false, false])), 4);
    assert.equal(r.firstFailing, 3);
    assert.equal(r.warnings.length, 1);
    assert.match(r.warnings[0] as string, /level 16 met every SLO again above level 8/);
  });

  it('is null when the lowest level already fails', () => {
    const r = findSloLimit(t([false, false, true, false, false, false, false]), true);
    assert.equal(r.index, null);
    assert.equal(r.firstFailing, 0);
    assert.match(r.reason, /lowest level \(1\) already broke/);
  });

  it('is the top level, marked at-or-above, when every level passes', () => {
    const r = findSloLimit(t([true, true, true, true, true, true, true]), true);
    assert.equal(limitLevel(t([true, true, true, true, true, true, true])), 64);
    assert.equal(r.atOrAbove, true);
  });

  it('skips levels that could not be judged or were cut short', () => {
    const levels = t([true, null, true, true, true, false, false]);
    assert.equal(limitLevel(levels), 16);
    levels[4] = { ...(levels[4] as DetectionLevel), usable: false };
    assert.equal(limitLevel(levels), 8);
  });

  it('is null without an SLO file or any verdict', () => {
    assert.match(findSloLimit(t([true]), false).reason, /no SLO file/);
    assert.match(findSloLimit(t([null, null]), true).reason, /no level could be judged/);
  });
});
