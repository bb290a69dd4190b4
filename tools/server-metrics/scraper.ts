// Scrapes an inference server's Prometheus /metrics during a run, from the
// CLI's process beside k6: once at the start, every few seconds, and once at
// the end, one JSON line per scrape in server-metrics.jsonl. A scrape that
// fails (unreachable, timeout, not metrics) gives one warning for the run and
// never touches the load: k6 runs in its own process either way.

import { appendFileSync, writeFileSync } from 'node:fs';
import { parsePrometheusText } from '../../src/server-metrics/prometheus-text.ts';
import { isEmptySnapshot, serverSnapshot, type ServerScrape, type ServerSnapshot } from '../../src/server-metrics/snapshot.ts';

export type { ServerScrape };

/** Options of startScraper. */
export interface ScraperOptions {
  url: string;
  /** The JSON-lines file to write (truncated at the start). */
  outFile: string;
  /** Time between scrapes; default 2 s. */
  intervalMs?: number;
  /** How long one scrape may take; default 2 s. */
  timeoutMs?: number;
  log: (line: string) => void;
}

/** A running scraper. */
export interface Scraper {
  /** Scrapes once more, stops and resolves with the number of scrapes written. */
  stop(): Promise<number>;
}

/** Reads one scrape; throws with a one-line reason. */
export async function scrapeOnce(url: string, timeoutMs: number): Promise<ServerSnapshot> {
  // fetch refuses a URL with userinfo: it goes in a Basic Authorization header instead.
  const u = new URL(url);
  const headers: Record<string, string> = {};
  if (u.username || u.password) {
    headers.Authorization = `Basic ${Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64')}`;
    u.username = '';
    u.password = '';
  }
  const res = await fetch(u, { headers, signal: AbortSignal.timeout(timeoutMs) });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
  const parsed = parsePrometheusText(text);
  const snapshot = serverSnapshot(parsed.samples);
  if (isEmptySnapshot(snapshot)) {
    throw new Error(parsed.samples.length === 0 ? 'not Prometheus text exposition' : 'none of the vLLM, SGLang, TGI or llama.cpp metric names');
  }
  return snapshot;
}

/** Starts scraping `url` now and every intervalMs; the URL is logged without its userinfo. */
export function startScraper(o: ScraperOptions): Scraper {
  const intervalMs = o.intervalMs ?? 2000;
  const timeoutMs = o.timeoutMs ?? 2000;
  writeFileSync(o.outFile, '');
  let written = 0;
  let warned = false;
  let inFlight: Promise<void> = Promise.resolve();
  const shown = o.url.replace(/\/\/[^@/]*@/, '//');
  const scrape = (): Promise<void> => {
    inFlight = inFlight.then(async () => {
      try {
        const snapshot = await scrapeOnce(o.url, timeoutMs);
        appendFileSync(o.outFile, `${JSON.stringify({ unixMs: Date.now(), snapshot } satisfies ServerScrape)}\n`);
        written++;
      } catch (err) {
        if (!warned) {
          warned = true;
          const why = String((err as Error).message).replace(/\/\/[^@/\s]*@/g, '//');
          o.log(`warning: server metrics from ${shown} could not be read (${why}); the run goes on without them`);
        }
      }
    });
    return inFlight;
  };
  void scrape();
  const timer = setInterval(() => void scrape(), intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await scrape();
      return written;
    },
  };
}

/** Parses a server-metrics.jsonl file (lines that are not scrapes are skipped). */
export function readScrapes(text: string): ServerScrape[] {
  const out: ServerScrape[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const v = JSON.parse(line) as ServerScrape;
      if (typeof v.unixMs === 'number' && v.snapshot && typeof v.snapshot === 'object') out.push(v);
    } catch {
      // a line cut by a crash: skipped
    }
  }
  return out;
}
