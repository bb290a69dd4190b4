// --prometheus-rw: the k6 output and settings it adds, and the one-line refusals.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../../../tools/cli/args.ts';
import { nativeHistogramsEnv, prometheusRwOutput } from '../../../tools/cli/live-metrics.ts';

test('--prometheus-rw adds k6\'s remote-write output with Trends as native histograms', () => {
  const out = prometheusRwOutput('http://127.0.0.1:9090/api/v1/write', {});
  assert.deepEqual(out.args, ['-o', 'experimental-prometheus-rw']);
  assert.deepEqual(out.env, { K6_PROMETHEUS_RW_SERVER_URL: 'http://127.0.0.1:9090/api/v1/write', K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM: 'true' });
});

test('native histograms: the feature flag from k6 v2.1 (its K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM alias warns there), the variable before and when the version is unknown', () => {
  const variable = { K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM: 'true' };
  const flag = { K6_FEATURES: 'native-histograms' };
  for (const [version, want] of [
    ['1.1.0', variable],
    ['1.5.0', variable],
    ['2.0.1', variable],
    ['2.1.0-rc1', variable],
    ['2.1.0', flag],
    ['2.2.0', flag],
    ['2.3.0', flag],
    ['3.0.0', flag],
    [null, variable],
  ] as const) {
    assert.deepEqual(nativeHistogramsEnv(version, {}), want, `k6 ${version}`);
  }
  const out = prometheusRwOutput('http://prom:9090', {}, '2.3.0');
  assert.deepEqual(out.env, { K6_PROMETHEUS_RW_SERVER_URL: 'http://prom:9090/api/v1/write', K6_FEATURES: 'native-histograms' });
});

test('native histograms on k6 v2.1+: the user\'s own K6_FEATURES are kept (k6 does not merge --features with them), and their variable stands', () => {
  assert.deepEqual(nativeHistogramsEnv('2.3.0', { K6_FEATURES: 'freeze-env, merge-run-tags' }), { K6_FEATURES: 'freeze-env,merge-run-tags,native-histograms' });
  assert.deepEqual(nativeHistogramsEnv('2.3.0', { K6_FEATURES: 'native-histograms' }), {});
  assert.deepEqual(nativeHistogramsEnv('2.3.0', { K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM: 'false' }), {});
  assert.deepEqual(nativeHistogramsEnv('1.1.0', { K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM: 'true' }), {});
});

test('a bare Prometheus address gets the remote-write path; another path is kept', () => {
  assert.equal(prometheusRwOutput('http://prom:9090', {}).env.K6_PROMETHEUS_RW_SERVER_URL, 'http://prom:9090/api/v1/write');
  assert.equal(prometheusRwOutput('https://mimir.example/api/v1/push', {}).env.K6_PROMETHEUS_RW_SERVER_URL, 'https://mimir.example/api/v1/push');
});

test('the user\'s own K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM is left alone', () => {
  const out = prometheusRwOutput('http://prom:9090/api/v1/write', { K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM: 'false' });
  assert.equal(out.env.K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM, undefined);
});

test('a URL that is not http(s), or carries credentials, is refused in one line', () => {
  assert.throws(() => prometheusRwOutput('prom:9090', {}), (e: unknown) => e instanceof UsageError && /^invalid --prometheus-rw; expected an http:\/\/ or https:\/\/ URL, got "prom:9090"$/.test(e.message));
  assert.throws(() => prometheusRwOutput('not a url', {}), (e: unknown) => e instanceof UsageError && e.message.startsWith('invalid --prometheus-rw; expected the remote-write URL'));
  assert.throws(() => prometheusRwOutput('http://u:secret@prom:9090', {}), (e: unknown) => e instanceof UsageError && !e.message.includes('secret'));
});
