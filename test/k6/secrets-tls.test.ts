// The API key never leaves the process except as the Authorization header,
// and HTTPS endpoints work, self-signed ones only with an explicit option.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { runWorkload, startMock, type K6Result } from './harness.ts';

const SECRET = 'sk-k6llm-secret-7d1e4b0f9a';

/** Every artefact of a run: stdout, stderr and each file it wrote. */
function artefacts(res: K6Result): Record<string, string> {
  const out: Record<string, string> = { stdout: res.stdout, stderr: res.stderr };
  for (const name of readdirSync(res.outDir)) out[name] = readFileSync(join(res.outDir, name), 'utf8');
  return out;
}

function assertNoSecret(res: K6Result): void {
  for (const [name, text] of Object.entries(artefacts(res))) assert.ok(!text.includes(SECRET), `the API key appears in ${name}`);
}

describe('the API key appears in no output', () => {
  test('availability, coldstart and chat runs, with faults: stdout, stderr, JSON, Markdown, JUnit', async () => {
    const mock = await startMock(['--api-key', SECRET, '--ttft-ms', '5', '--itl-ms', '1', '--output-tokens', '4', '--fault-rate', '0.3']);
    try {
      const runs: [string, Record<string, string>][] = [
        ['availability', { LLM_RATE: '10', LLM_DURATION: '2s', LLM_STALL_TIMEOUT: '300ms', LLM_THRESHOLDS: 'none' }],
        ['coldstart', { LLM_IDLE: '0s', LLM_PROBES: '1', LLM_WARM_REQUESTS: '2', LLM_RETRY_BACKOFF: '10ms', LLM_THRESHOLDS: 'none' }],
        ['chat', { LLM_VUS: '1', LLM_DURATION: '2s', LLM_THRESHOLDS: 'none' }],
      ];
      for (const [workload, vars] of runs) {
        const res = await runWorkload(workload, { LLM_BASE_URL: mock.url, ...vars }, { LLM_API_KEY: SECRET });
        assert.equal(res.code, 0, res.stderr);
        const w = res.summary?.workloads[workload];
        // The key did authenticate: not one request was refused with 401.
        assert.ok(w && w.requests > 0 && !w.errors.http_4xx, JSON.stringify(w?.errors));
        assert.equal(Object.keys(artefacts(res)).length, 5, 'stdout, stderr and three reports');
        assertNoSecret(res);
      }
    } finally {
      await mock.server.close();
    }
  });

  test('a misspelt key variable is rejected without echoing its value', async () => {
    const res = await runWorkload('chat', { LLM_APIKEY: SECRET, LLM_BASE_URL: 'http://127.0.0.1:9/v1' });
    assert.notEqual(res.code, 0);
    assert.match(res.stderr, /invalid variable LLM_APIKEY.*did you mean LLM_API_KEY/);
    assertNoSecret(res);
  });
});

describe('HTTPS', () => {
  // A throwaway self-signed certificate, made for this test only.
  const dir = mkdtempSync(join(tmpdir(), 'k6-llm-tls-'));
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });

  test('a self-signed endpoint fails verification by default and works with LLM_INSECURE_TLS=true', async () => {
    const mock = await startMock(['--tls-cert', cert, '--tls-key', key, '--ttft-ms', '5', '--itl-ms', '1', '--output-tokens', '4']);
    try {
      assert.match(mock.url, /^https:/);
      const strict = await runWorkload('chat', { LLM_BASE_URL: mock.url, LLM_VUS: '1', LLM_DURATION: '2s', LLM_THRESHOLDS: 'none' });
      assert.equal(strict.code, 0, strict.stderr);
      assert.equal(strict.summary?.workloads.chat?.successRate, 0, 'an unverifiable certificate is refused by default');
      assert.ok((strict.summary?.workloads.chat?.errors.connect ?? 0) > 0, JSON.stringify(strict.summary?.workloads.chat?.errors));
      const insecure = await runWorkload('chat', { LLM_BASE_URL: mock.url, LLM_VUS: '1', LLM_DURATION: '2s', LLM_INSECURE_TLS: 'true', LLM_THRESHOLDS: 'none' });
      assert.equal(insecure.code, 0, insecure.stderr);
      assert.equal(insecure.summary?.workloads.chat?.successRate, 1);
      assert.ok((insecure.summary?.workloads.chat?.requests ?? 0) > 5);
    } finally {
      await mock.server.close();
    }
  });
});
