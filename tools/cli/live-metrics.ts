// `--prometheus-rw URL`: k6's built-in Prometheus remote-write output, with
// Trends as native histograms (what ci/grafana/k6-llm.json queries). Pure:
// the k6 arguments and environment the flag adds.

import { UsageError } from './args.ts';

/** The remote-write endpoint Prometheus serves with --web.enable-remote-write-receiver. */
export const REMOTE_WRITE_PATH = '/api/v1/write';

/** What `--prometheus-rw` adds to the k6 command line and environment. */
export interface K6Output {
  args: string[];
  env: Record<string, string>;
}

/**
 * k6's `-o experimental-prometheus-rw` for the endpoint `url`: a bare
 * `http://host:9090` gets Prometheus's /api/v1/write path. Settings the user
 * already has in the environment (`K6_PROMETHEUS_RW_*`) are kept.
 */
export function prometheusRwOutput(url: string, env: NodeJS.ProcessEnv): K6Output {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`invalid --prometheus-rw; expected the remote-write URL, e.g. http://127.0.0.1:9090${REMOTE_WRITE_PATH}, got "${url}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UsageError(`invalid --prometheus-rw; expected an http:// or https:// URL, got "${url}"`);
  }
  if (parsed.username || parsed.password) {
    // k6 would put the URL in its banner: credentials go in K6_PROMETHEUS_RW_USERNAME / _PASSWORD.
    throw new UsageError('invalid --prometheus-rw; expected a URL without user:password (set K6_PROMETHEUS_RW_USERNAME and K6_PROMETHEUS_RW_PASSWORD instead)');
  }
  if (parsed.pathname === '/' || parsed.pathname === '') parsed.pathname = REMOTE_WRITE_PATH;
  const out: Record<string, string> = { K6_PROMETHEUS_RW_SERVER_URL: parsed.toString() };
  if (env.K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM === undefined) out.K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM = 'true';
  return { args: ['-o', 'experimental-prometheus-rw'], env: out };
}
