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
