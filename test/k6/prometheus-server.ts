// A real Prometheus on loopback for the live-metrics tests: Debian's
// `prometheus` (2.42) started by the test itself (never a system service),
// with the remote-write receiver and native histograms on, its TSDB in a
// temporary folder removed on close. Plus the few HTTP API calls the tests make.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where the binary is: PROMETHEUS_BINARY, else Debian's. */
export const PROMETHEUS_BINARY = process.env.PROMETHEUS_BINARY ?? '/usr/bin/prometheus';

/** A running Prometheus: its base URL, the remote-write URL for k6, and close(). */
export interface PrometheusServer {
  url: string;
  writeUrl: string;
  close(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** Starts Prometheus and resolves once /-/ready answers 200 (at most 30 s). */
export async function startPrometheus(): Promise<PrometheusServer> {
  if (!existsSync(PROMETHEUS_BINARY)) {
    throw new Error(`no Prometheus at ${PROMETHEUS_BINARY}; install Debian's (apt-get install -y prometheus, as .ci/run does) or set PROMETHEUS_BINARY`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'k6-llm-prometheus-'));
  const config = join(dir, 'prometheus.yml');
  // Nothing to scrape: every sample arrives by remote write.
  writeFileSync(config, 'global:\n  scrape_interval: 15s\n');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    PROMETHEUS_BINARY,
    [
      '--web.enable-remote-write-receiver',
      '--enable-feature=native-histograms',
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      `--config.file=${config}`,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      const res = await fetch(`${url}/-/ready`);
      if (res.ok) return { url, writeUrl: `${url}/api/v1/write`, close };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  await close();
  throw new Error(`Prometheus did not become ready on ${url} within 30 s; its log: ${log}`);
}

/** One series of a query result (vector or matrix). */
export interface PromSeries {
  metric: Record<string, string>;
  value?: [number, string];
  values?: [number, string][];
  histogram?: [number, PromHistogram];
}

/** A native histogram as the HTTP API returns it: buckets are [boundary rule, lower, upper, count]. */
export interface PromHistogram {
  count: string;
  sum: string;
  buckets?: [number, string, string, string][];
}

async function api<T>(prom: PrometheusServer, path: string, params: Record<string, string>): Promise<T> {
  const res = await fetch(`${prom.url}${path}?${new URLSearchParams(params)}`);
  const body = (await res.json()) as { status: string; error?: string; data: T };
  if (body.status !== 'success') throw new Error(`Prometheus ${path} ${JSON.stringify(params)}: ${body.error}`);
  return body.data;
}

/** An instant query at `time` (seconds since the epoch). */
export async function instantQuery(prom: PrometheusServer, query: string, time: number): Promise<PromSeries[]> {
  return (await api<{ result: PromSeries[] }>(prom, '/api/v1/query', { query, time: String(time) })).result;
}

/** A range query from `start` to `end` (seconds) every `step` seconds. */
export async function rangeQuery(prom: PrometheusServer, query: string, start: number, end: number, step: number): Promise<PromSeries[]> {
  return (await api<{ result: PromSeries[] }>(prom, '/api/v1/query_range', { query, start: String(start), end: String(end), step: String(step) })).result;
}

/** Values of `label` on series matching `match` (what Grafana's label_values() asks). */
export async function labelValues(prom: PrometheusServer, label: string, match: string): Promise<string[]> {
  return api<string[]>(prom, `/api/v1/label/${label}/values`, { 'match[]': match });
}

/** Finite sample values of a result (NaN and ±Inf are no data). */
export function finiteValues(result: PromSeries[]): number[] {
  const out: number[] = [];
  for (const s of result) {
    for (const [, v] of s.values ?? (s.value ? [s.value] : [])) {
      const n = Number(v);
      if (Number.isFinite(n)) out.push(n);
    }
  }
  return out;
}
