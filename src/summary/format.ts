// Number and column formatting shared by the report renderers.

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
