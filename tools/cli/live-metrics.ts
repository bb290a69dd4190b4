// `--prometheus-rw URL`: k6's built-in Prometheus remote-write output, with
// Trends as native histograms (what ci/grafana/k6-llm.json queries). Pure:
// the k6 arguments and environment the flag adds.

import { compareVersions } from '../provision/k6.ts';
import { UsageError } from './args.ts';

/**
 * The first k6 with feature flags (k6 v2.1.0 release notes, PRs #6055 and
 * #6056): native histograms are then the `native-histograms` flag, and
 * K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM a deprecated alias that logs a
 * warning (k6's internal/features/aliases.go).
 */
export const FEATURE_FLAGS_K6_VERSION = '2.1.0';

/** k6's name of the native-histograms feature flag. */
export const NATIVE_HISTOGRAMS_FEATURE = 'native-histograms';

/**
 * How to turn on native histograms for `k6Version` (null: unknown): the
 * feature flag through K6_FEATURES where k6 has flags, added to the user's
 * own (k6 takes --features over K6_FEATURES whole, not merged: the
 * environment keeps theirs), else the output's variable. Nothing when the
 * user set the variable (true or false: theirs stands) or the flag already.
 */
export function nativeHistogramsEnv(k6Version: string | null, env: NodeJS.ProcessEnv): Record<string, string> {
  if (env.K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM !== undefined) return {};
  if (k6Version === null || compareVersions(k6Version, FEATURE_FLAGS_K6_VERSION) < 0) return { K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM: 'true' };
  const features = (env.K6_FEATURES ?? '').split(',').map((f) => f.trim()).filter((f) => f !== '');
  if (features.includes(NATIVE_HISTOGRAMS_FEATURE)) return {};
  return { K6_FEATURES: [...features, NATIVE_HISTOGRAMS_FEATURE].join(',') };
}

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
 * already has in the environment (`K6_PROMETHEUS_RW_*`) are kept; native
 * histograms as `k6Version` (null: unknown) takes them (nativeHistogramsEnv).
 */
export function prometheusRwOutput(url: string, env: NodeJS.ProcessEnv, k6Version: string | null = null): K6Output {
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
  return { args: ['-o', 'experimental-prometheus-rw'], env: { K6_PROMETHEUS_RW_SERVER_URL: parsed.toString(), ...nativeHistogramsEnv(k6Version, env) } };
}
