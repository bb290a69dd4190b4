// The server's own metrics beside the client's: requests running and waiting
// over time, server-side TTFT and queue time, KV-cache usage, prefix-cache
// hit rate, preemptions, and the gap between the client's TTFT and the
// server's (network, TLS, proxies, the client). Pure.

import { serverFigures, type ServerScrape } from '../server-metrics/snapshot.ts';
import type { LlmReport } from '../summary/schema.ts';
import { num } from './headline.ts';
import { COLORS, emptyChart, escapeXml as esc, frame, polyline, xScale, yScale } from './svg.ts';

/** The client's mean TTFT over every workload (ms), weighted by sample count. */
export function clientTtftMeanMs(summary: LlmReport): number | null {
  let sum = 0;
  let count = 0;
  for (const w of Object.values(summary.workloads)) {
    if (!w.ttftMs) continue;
    sum += w.ttftMs.avg * w.ttftMs.count;
    count += w.ttftMs.count;
  }
  return count ? sum / count : null;
}

/** The server section; `startUnixMs` is when the first request was sent (the time axis of the other charts). */
export function serverSectionHtml(scrapes: readonly ServerScrape[], startUnixMs: number | null, summary: LlmReport, url: string | null): string {
  const f = serverFigures(scrapes);
  const client = clientTtftMeanMs(summary);
  const gap = client !== null && f.ttftMeanMs !== null ? client - f.ttftMeanMs : null;
  const t0 = startUnixMs ?? scrapes[0]?.unixMs ?? 0;
  const title = 'Server: requests running and waiting';
  let chart: string;
  const pts = scrapes.map((s) => ({ t: (s.unixMs - t0) / 1000, r: s.snapshot.running, w: s.snapshot.waiting }));
  if (pts.length === 0) chart = emptyChart(title, 'no scrapes');
  else {
    const x = xScale(Math.max(1, ...pts.map((p) => p.t)));
    const y = yScale(Math.max(1, ...pts.map((p) => Math.max(p.r ?? 0, p.w ?? 0))), undefined, true);
    chart = frame({
      title,
      xTitle: 'seconds since the first request',
      yTitle: 'requests',
      x,
      y,
      body: polyline(pts.map((p) => [p.t, p.r]), x, y, COLORS.p50, 'class="server-running"') + polyline(pts.map((p) => [p.t, p.w]), x, y, COLORS.p95, 'class="server-waiting"'),
      legend: [{ name: 'running', color: COLORS.p50 }, { name: 'waiting', color: COLORS.p95 }],
    });
  }
  let kvChart = '';
  if (scrapes.some((s) => s.snapshot.kvCacheUsage !== null)) {
    const x = xScale(Math.max(1, ...pts.map((p) => p.t)));
    const y = yScale(1);
    kvChart = frame({ title: 'Server: KV-cache usage', xTitle: 'seconds since the first request', yTitle: 'usage', x, y, body: polyline(scrapes.map((s) => [(s.unixMs - t0) / 1000, s.snapshot.kvCacheUsage]), x, y, COLORS.line, 'class="server-kv"'), yTicks: (v) => `${Math.round(v * 100)} %` });
  }
  const card = (name: string, value: string, figure: string, sub = '') => `<div class="card" data-figure="${figure}"><div class="name">${esc(name)}</div><div class="value">${esc(value)}</div>${sub ? `<div class="sub">${esc(sub)}</div>` : ''}</div>`;
  const cards = [
    card('Server TTFT mean', num(f.ttftMeanMs, 1, ' ms'), 'serverTtftMeanMs', f.ttftRequests === null ? 'not exposed' : `${f.ttftRequests} requests`),
    card('Client TTFT mean', num(client, 1, ' ms'), 'clientTtftMeanMs'),
    card('Client − server TTFT', num(gap, 1, ' ms'), 'ttftGapMs', 'network, TLS, proxies, client'),
    card('Queue time mean', num(f.queueMeanMs, 1, ' ms'), 'serverQueueMeanMs'),
    card('Running / waiting max', `${f.runningMax ?? '–'} / ${f.waitingMax ?? '–'}`, 'serverRunningWaitingMax'),
    card('KV-cache usage max', f.kvCacheUsageMax === null ? '–' : `${(f.kvCacheUsageMax * 100).toFixed(1)} %`, 'kvCacheUsageMax'),
    card('Prefix-cache hit rate', f.prefixCacheHitRate === null ? '–' : `${(f.prefixCacheHitRate * 100).toFixed(1)} %`, 'prefixCacheHitRate'),
    card('Preemptions', f.preemptions === null ? '–' : String(f.preemptions), 'preemptions'),
  ];
  return (
    `<section class="server" id="server-metrics"><h2>Server metrics</h2>` +
    `<p class="meta">${scrapes.length} scrapes${url ? ` of ${esc(url)}` : ''}; counters and histograms are the change from the first scrape to the last (the server's whole run, other clients included).</p>` +
    `<div class="cards">${cards.join('')}</div><div class="charts">${chart}${kvChart}</div></section>`
  );
}
