// Progress while k6 runs quiet: elapsed / total, requests so far, TTFT p50
// and errors, read from the run's stream meter, or every instance's (GET /health counts the
// requests it took, the store holds the VUs' TTFTs and error causes; both
// ride on each VU's next request, so they trail by about one request per VU).
// On a terminal one line rewritten in place every second; elsewhere (CI logs)
// a plain line every 10 s; nothing with --quiet.

/** What one progress line shows. */
export interface Progress {
  elapsedMs: number;
  /** The run's planned length (ms); null when the workload sets it itself (ramp, coldstart). */
  totalMs: number | null;
  requests: number;
  ttftP50Ms: number | null;
  /** With several instances: the largest instance TTFT p50 (ttftP50Ms is the smallest); medians do not add up. */
  ttftP50MaxMs?: number | null;
  errors: number;
  /** The ramp's level by its plan, e.g. `4 streams (3 of 5)`; absent for other workloads. */
  level?: string | null;
}

/** One progress line: `k6-llm: 12 s / 60 s · 340 requests · TTFT p50 212 ms · 3 errors`. */
export function progressLine(p: Progress): string {
  const s = (ms: number): string => `${Math.floor(ms / 1000)} s`;
  const time = p.totalMs === null ? s(p.elapsedMs) : `${s(Math.min(p.elapsedMs, p.totalMs))} / ${s(p.totalMs)}`;
  const low = p.ttftP50Ms === null ? null : Math.round(p.ttftP50Ms);
  const high = p.ttftP50MaxMs === null || p.ttftP50MaxMs === undefined ? low : Math.round(p.ttftP50MaxMs);
  const ttft = low === null ? 'TTFT p50 –' : high !== low ? `TTFT p50 ${low}–${high} ms` : `TTFT p50 ${low} ms`;
  const level = p.level ? ` · level ${p.level}` : '';
  return `k6-llm: ${time}${level} · ${p.requests} requests · ${ttft} · ${p.errors} error${p.errors === 1 ? '' : 's'}`;
}

/** The planned ramp level at `elapsedMs`: `4 streams (3 of 5)`. */
export function levelLabel(levels: readonly number[], levelDurationMs: number, unit: string, elapsedMs: number): string | null {
  if (levels.length === 0 || levelDurationMs <= 0) return null;
  const i = Math.min(levels.length - 1, Math.max(0, Math.floor(elapsedMs / levelDurationMs)));
  return `${levels[i]}${unit} (${i + 1} of ${levels.length})`;
}

/** Reads the figures from a meter (LLM_METER_URL with its secret); null when it cannot be asked. */
export async function readMeterProgress(meterUrl: string): Promise<Omit<Progress, 'elapsedMs' | 'totalMs'> | null> {
  const url = new URL(meterUrl);
  const headers = { 'X-K6-LLM-Meter-Secret': decodeURIComponent(url.password) };
  const base = `${url.protocol}//${url.host}`;
  try {
    const get = async (path: string): Promise<Record<string, unknown>> => {
      const res = await fetch(base + path, { headers, signal: AbortSignal.timeout(2000) });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      return (await res.json()) as Record<string, unknown>;
    };
    const [health, ttft, causes] = await Promise.all([get('/health'), get('/store/summary?prefix=llm_ttft%3A'), get('/store/keys?prefix=llm_cause%3A')]);
    const counts = Object.values((causes.keys ?? {}) as Record<string, number>);
    return {
      requests: typeof health.started === 'number' ? health.started : 0,
      ttftP50Ms: typeof ttft.p50 === 'number' ? ttft.p50 : null,
      errors: counts.reduce((a, b) => a + b, 0),
    };
  } catch {
    return null;
  }
}

/** Several instances' figures as one line's: requests and errors summed, the instances' TTFT p50s as a range; null when none answered. */
export function combineProgress(list: readonly (Omit<Progress, 'elapsedMs' | 'totalMs'> | null)[]): Omit<Progress, 'elapsedMs' | 'totalMs'> | null {
  const answered = list.filter((p): p is Omit<Progress, 'elapsedMs' | 'totalMs'> => p !== null);
  if (answered.length === 0) return null;
  const p50s = answered.map((p) => p.ttftP50Ms).filter((v): v is number => v !== null);
  return {
    requests: answered.reduce((n, p) => n + p.requests, 0),
    ttftP50Ms: p50s.length === 0 ? null : Math.min(...p50s),
    ttftP50MaxMs: p50s.length === 0 ? null : Math.max(...p50s),
    errors: answered.reduce((n, p) => n + p.errors, 0),
  };
}

/** Options of startProgress. */
export interface ProgressOptions {
  /** Every instance's meter (LLM_METER_URL with its secret): one for a single run. */
  meterUrls: readonly string[];
  totalMs: number | null;
  /** True on a terminal: one line rewritten in place. */
  tty: boolean;
  write(text: string): void;
  /** The ramp's level at an elapsed time (its plan; a stop rule may end it sooner). */
  levelAt?: (elapsedMs: number) => string | null;
  /** Between lines (ms); default 1000 on a terminal, 10000 elsewhere. */
  everyMs?: number;
  /** The time (ms); performance.now() unless a test gives a fake. */
  now?: () => number;
  /** Calls `tick` every `ms` until the returned function is called; setInterval unless a test ticks by hand. */
  repeat?: (ms: number, tick: () => void) => () => void;
}

function everyInterval(ms: number, tick: () => void): () => void {
  const timer = setInterval(tick, ms);
  return () => clearInterval(timer);
}

/** Prints progress until stop() (which clears a terminal's line). */
export function startProgress(options: ProgressOptions): { stop(): Promise<void> } {
  const now = options.now ?? ((): number => performance.now());
  const started = now();
  const every = options.everyMs ?? (options.tty ? 1000 : 10_000);
  let busy: Promise<void> = Promise.resolve();
  let shown = false;
  const tick = (): void => {
    busy = (async () => {
      const figures = combineProgress(await Promise.all(options.meterUrls.map((url) => readMeterProgress(url))));
      if (!figures || stopped) return;
      const elapsedMs = now() - started;
      const line = progressLine({ ...figures, elapsedMs, totalMs: options.totalMs, level: options.levelAt?.(elapsedMs) ?? null });
      // \r and "erase line": k6's own lines (quiet) are rare, and the line is rewritten within a second.
      options.write(options.tty ? `\r\x1b[2K${line}` : `${line}\n`);
      shown = true;
    })();
  };
  let stopped = false;
  const cancel = (options.repeat ?? everyInterval)(every, tick);
  return {
    async stop() {
      stopped = true;
      cancel();
      await busy;
      if (options.tty && shown) options.write('\r\x1b[2K');
    },
  };
}
