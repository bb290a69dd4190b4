// Cost per million output tokens at the measured load, from a price: either
// the endpoint's hardware by the hour (`2.5/h`: dollars per hour) or token
// prices (`in=0.5,out=1.5`: dollars per million input and output tokens).
// Pure: the figures come from the summary's own totals.

/** A price as the user gave it. */
export type Price = { kind: 'hourly'; perHour: number } | { kind: 'tokens'; inPerMillion: number; outPerMillion: number };

/** What a run's tokens cost. */
export interface CostFigures {
  price: Price;
  /** The price as text, e.g. `$2.5/h`. */
  priceText: string;
  /** Dollars for the whole run. */
  totalDollars: number;
  /** Dollars per million output tokens at the measured throughput; null without output tokens. */
  perMillionOutputTokens: number | null;
  /** Dollars per request; null without requests. */
  perRequest: number | null;
}

/** Thrown for a price that is neither `<dollars>/h` nor `in=<d>,out=<d>`. */
export class PriceError extends Error {
  constructor(text: string) {
    super(`invalid --price; expected dollars per hour of the endpoint (e.g. "2.5/h") or per million tokens (e.g. "in=0.5,out=1.5"), got "${text}"`);
    this.name = 'PriceError';
  }
}

const NUMBER = /^\d+(\.\d+)?$/;

/** Parses `2.5/h` or `in=0.5,out=1.5` (either side may be left out: 0). */
export function parsePrice(text: string): Price {
  const t = text.trim().replace(/^\$/, '');
  const hourly = /^(\d+(?:\.\d+)?)\s*\/\s*h(our)?$/i.exec(t);
  if (hourly) return { kind: 'hourly', perHour: Number(hourly[1]) };
  const parts = t.split(',').map((p) => p.trim().split('='));
  const prices: Record<string, number> = {};
  for (const [key, value] of parts) {
    if ((key !== 'in' && key !== 'out') || value === undefined || !NUMBER.test(value) || key in prices) throw new PriceError(text);
    prices[key] = Number(value);
  }
  return { kind: 'tokens', inPerMillion: prices.in ?? 0, outPerMillion: prices.out ?? 0 };
}

/** The price as text. */
export function priceText(price: Price): string {
  return price.kind === 'hourly' ? `$${price.perHour}/h` : `$${price.inPerMillion} per M input, $${price.outPerMillion} per M output tokens`;
}

/** The price back from its text (priceText's inverse, as llm-summary.json's cost keeps it); null when it is not one. */
export function priceFromText(text: string): Price | null {
  const tokens = /^\$(\d+(?:\.\d+)?) per M input, \$(\d+(?:\.\d+)?) per M output tokens$/.exec(text);
  if (tokens) return { kind: 'tokens', inPerMillion: Number(tokens[1]), outPerMillion: Number(tokens[2]) };
  const hourly = /^\$(\d+(?:\.\d+)?)\/h$/.exec(text);
  return hourly ? { kind: 'hourly', perHour: Number(hourly[1]) } : null;
}

/** What the run cost: totals of the run (all workloads), its length in seconds. */
export function costFigures(price: Price, totals: { outputTokens: number; promptTokens: number; requests: number }, runSeconds: number | null): CostFigures | null {
  let total: number;
  if (price.kind === 'hourly') {
    if (runSeconds === null || !(runSeconds > 0)) return null;
    total = (price.perHour / 3600) * runSeconds;
  } else {
    total = (price.inPerMillion * totals.promptTokens + price.outPerMillion * totals.outputTokens) / 1e6;
  }
  return {
    price,
    priceText: priceText(price),
    totalDollars: total,
    perMillionOutputTokens: totals.outputTokens > 0 ? (total / totals.outputTokens) * 1e6 : null,
    perRequest: totals.requests > 0 ? total / totals.requests : null,
  };
}

/** Dollars per million output tokens at an aggregate throughput (tokens/s), for an hourly price; null otherwise. */
export function hourlyCostPerMillion(price: Price, outputTokensPerSecond: number | null): number | null {
  if (price.kind !== 'hourly' || outputTokensPerSecond === null || !(outputTokensPerSecond > 0)) return null;
  return (price.perHour / 3600 / outputTokensPerSecond) * 1e6;
}

/** Dollars with a sensible number of digits. */
export function dollars(n: number | null): string {
  if (n === null || !Number.isFinite(n)) return '–';
  if (n >= 100) return `$${n.toFixed(0)}`;
  if (n >= 1) return `$${n.toFixed(2)}`;
  return `$${n.toPrecision(3)}`;
}
