// Number and column formatting shared by the report renderers.
import type { WorkloadReport } from './schema.ts';

/** n with `digits` decimals; '-' for NaN and infinities. */
export function round(n: number, digits = 1): string {
  return Number.isFinite(n) ? n.toFixed(digits) : '-';
}

/** A measured value with sensible precision for its size. */
export function formatMeasured(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  return Math.abs(n) >= 100 ? n.toFixed(1) : Math.abs(n) >= 1 ? n.toFixed(2) : n.toFixed(4);
}

/** text padded to width: on the left (right-aligned) when `right`, else on the right. */
export function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

/** The line about requests sent again because the server had closed their kept-alive connection. */
export function resendLine(resends: number): string {
  return `${resends} request${resends === 1 ? ' was' : 's were'} sent again on a new connection because the server had closed the kept-alive one first used (not errors: the server's keep-alive behaviour)`;
}

/** What the meter vouches for of the workload's TTFT and E2E; null when it measured none (no kernel stamps). */
export function timingLine(w: WorkloadReport): string | null {
  const t = w.timing;
  if (!t) return null;
  if (t.flagged === 0) return `timing: every TTFT and E2E vouched for to within the flag (LLM_TIMING_FLAG_MS) of its kernel receive time (${t.measured} requests)`;
  const max = t.boundMs ? `, may read late by up to ${round(t.boundMs.max)} ms` : '';
  return `timing: ${t.flagged} of ${t.measured} requests flagged (their first or last token waited unread${max}); see the warning`;
}

/** `reasoning tokens N (M estimated) · answer tokens N`, when the run had reasoning output; null otherwise. */
export function reasoningSplit(w: WorkloadReport): string | null {
  if (!w.reasoningTokens) return null;
  const est = (n: number | undefined): string => (n ? ` (${n} estimated)` : '');
  return `reasoning tokens ${w.reasoningTokens}${est(w.reasoningTokensEstimated)} · answer tokens ${w.answerTokens ?? 0}${est(w.answerTokensEstimated)}`;
}

/** A share as a percentage with one decimal, e.g. `75.0 %`. */
function percent(share: number | null): string {
  return share === null ? '-' : `${(share * 100).toFixed(1)} %`;
}

/**
 * `prompt cache: 3 of 4 requests hit (75.0 %) · 96 of 160 prompt tokens cached (60.0 %) · TTFT p50 hit 52.0 ms, miss 110.0 ms`,
 * when the server reported its cache; null otherwise.
 */
export function promptCacheLine(w: WorkloadReport): string | null {
  const c = w.promptCache;
  if (!c) return null;
  const written = c.writeTokens > 0 ? ` · ${c.writeTokens} written to the cache` : '';
  const ttft = (p: { p50: number } | null): string => (p ? `${round(p.p50)} ms` : '-');
  return (
    `prompt cache: ${c.hits} of ${c.reported} requests hit (${percent(c.hitRatio)}) · ${c.cachedTokens} of ${w.promptTokens} prompt tokens cached (${percent(c.cachedTokenShare)})${written} · ` +
    `TTFT p50 hit ${ttft(c.ttftHitMs)}, miss ${ttft(c.ttftMissMs)}`
  );
}

/** Bytes in B, kB or MB (decimal units). */
export function bytesText(n: number): string {
  if (!Number.isFinite(n)) return '-';
  return n >= 1e6 ? `${(n / 1e6).toFixed(2)} MB` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} kB` : `${Math.round(n)} B`;
}

/** `images: 8 sent · 786.5 kB p50, 3.15 MB max per image · 262144 px p50, 1048576 px max`, when requests carried images; null otherwise. */
export function imagesLine(w: WorkloadReport): string | null {
  const i = w.images;
  if (!i) return null;
  const bytes = i.bytes ? ` · ${bytesText(i.bytes.p50)} p50, ${bytesText(i.bytes.max)} max per image` : ' · sizes unknown (URLs)';
  const pixels = i.pixels ? ` · ${Math.round(i.pixels.p50)} px p50, ${Math.round(i.pixels.max)} px max` : '';
  return `images: ${i.count} sent${bytes}${pixels}`;
}
