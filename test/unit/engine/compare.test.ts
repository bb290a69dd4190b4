import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Pair } from '../../../tools/bench/match.ts';
import { formatRows, requestRows, rowFigures } from '../../../tools/engine/compare.ts';
import { buildEnv, engineDirName } from '../../../tools/engine/install.ts';
import { parseEngineArgs } from '../../../tools/engine/main.ts';
import { serverArgs } from '../../../tools/engine/server.ts';
import type { EngineTimings } from '../../../tools/engine/server-log.ts';
import type { RequestRecord } from '../../../src/measure/request-record.ts';

function rec(ttftMs: number, e2eMs: number, tokens: number): RequestRecord {
  return {
    status: 200,
    success: true,
    error: null,
    errorMessage: null,
    ttftMs,
    e2eMs,
    itlMs: [],
    tpotMs: tokens > 1 ? (e2eMs - ttftMs) / (tokens - 1) : null,
    outputTokens: tokens,
    tokensEstimated: true,
  } as unknown as RequestRecord;
}

/** A pair whose wire request starts at startMs (capture clock) with the given wire and client figures. */
function pair(port: number, startMs: number, client: [number, number], wire: [number, number], tokens = 16): Pair {
  return {
    client: { localPort: port, sentUnixNs: 0, url: '', vu: '1', record: rec(client[0], client[1], tokens), events: tokens, kernelStamps: true },
    wire: { connection: port, client: '127.0.0.1', clientPort: port, index: 0, method: 'POST', target: '/v1/chat/completions', startNs: startMs * 1e6, status: 200, eventStream: true, eventNs: [], complete: true, record: rec(wire[0], wire[1], tokens) },
    offsetMs: 0,
  };
}

const block = (prefill: number, evalMs: number, runs: number): EngineTimings => ({ promptEvalMs: prefill, promptTokens: 28, evalMs, evalRuns: runs, totalMs: null });

describe('requestRows', () => {
  // Two requests queued for one slot: B started first but finished second.
  const a = pair(1001, 100, [900.4, 1350.2], [900.0, 1350.0]);
  const b = pair(1002, 50, [140.0, 460.0], [139.5, 459.7]);

  test('rows in the order the server finished them; log blocks matched by that order', () => {
    const rows = requestRows([a, b], [block(130, 300, 15), block(125, 305, 15)]);
    assert.deepEqual(rows.map((r) => r.clientPort), [1002, 1001]);
    const [first, second] = rows;
    assert.ok(Math.abs(first!.ttftDeltaMs! - 0.5) < 1e-9);
    assert.ok(Math.abs(first!.e2eDeltaMs! - 0.3) < 1e-9);
    assert.equal(first!.prefillMs, 130);
    assert.ok(Math.abs(first!.ttftMinusPrefillMs! - 10) < 1e-9);
    // TPOT (460 − 140) / 15 = 21.333…, decode 300 / 15 = 20.
    assert.ok(Math.abs(first!.tpotMinusDecodeMs! - (320 / 15 - 20)) < 1e-9);
    assert.equal(second!.prefillMs, 125);
    // Queue wait from the capture: B had the slot free; A (in at 100 ms) waited for B's last token at 50 + 459.7 ms.
    assert.equal(first!.queueWaitMs, 0);
    assert.ok(Math.abs(first!.ttftMinusWaitAndPrefillMs! - 10) < 1e-9);
    assert.ok(Math.abs(second!.queueWaitMs - 409.7) < 1e-9);
    assert.ok(Math.abs(second!.ttftMinusWaitAndPrefillMs! - (900.4 - 409.7 - 125)) < 1e-9);
    const fig = rowFigures(rows);
    assert.ok(Math.abs(fig.maxAbsTtftDeltaMs - 0.5) < 1e-9);
    assert.ok(Math.abs(fig.maxAbsE2eDeltaMs - 0.3) < 1e-9);
    assert.equal(fig.prefill.n, 2);
    assert.match(formatRows('x', rows), /^x: 2 requests/);
  });

  test('a log with another number of blocks is not matched at all', () => {
    const rows = requestRows([a, b], [block(130, 300, 15)]);
    assert.ok(rows.every((r) => r.prefillMs === null && r.ttftMinusPrefillMs === null && r.tpotMinusDecodeMs === null));
    assert.equal(rowFigures(rows).ttftMinusPrefill.n, 0);
  });
});

describe('engine install and start-up', () => {
  test('the venv is keyed by both pins and the Python version', () => {
    assert.equal(engineDirName('Python 3.11.7\n'), 'engine-llama0.3.36-gemma1.0.0-py3.11-avx2');
    assert.throws(() => engineDirName('command not found'), /invalid python3 --version output; expected "Python 3.X.Y"/);
  });

  test('the build uses every core and a CPU-only CMake set-up; the caller can add to it', () => {
    const env = buildEnv({ PATH: '/bin' }, 2);
    assert.equal(env.CMAKE_BUILD_PARALLEL_LEVEL, '2');
    assert.match(env.CMAKE_ARGS!, /-DLLAMA_CURL=OFF/);
    // Not native: ggml's AMX kernels crash here (see CPU_BUILD).
    assert.match(env.CMAKE_ARGS!, /-DGGML_NATIVE=OFF .*-DGGML_AMX_INT8=OFF/);
    assert.match(buildEnv({ CMAKE_ARGS: '-DGGML_AVX512=OFF' }, 2).CMAKE_ARGS!, /-DLLAMA_CURL=OFF .* -DGGML_AVX512=OFF$/);
  });

  test('the server listens on loopback only, on one thread, with the Gemma chat format and its timings logged', () => {
    const args = serverArgs('/m.gguf', 8123, 1, 2048);
    const value = (flag: string) => args[args.indexOf(flag) + 1];
    assert.equal(value('--host'), '127.0.0.1');
    assert.equal(value('--port'), '8123');
    assert.equal(value('--n_threads'), '1');
    assert.equal(value('--chat_format'), 'gemma');
    assert.equal(value('--verbose'), 'true');
    // Queued, not cut short by the next request.
    assert.equal(value('--interrupt_requests'), 'false');
    assert.equal(value('--logits_all'), 'false');
  });

  test('npm run engine flags: defaults, values, one clear line for a bad one', () => {
    assert.deepEqual(parseEngineArgs([], '/t'), { port: undefined, threads: 1, log: '/t/k6-llm-engine.log', forMs: null, installOnly: false });
    assert.deepEqual(parseEngineArgs(['--port', '8080', '--for', '90s', '--threads', '2'], '/t'), { port: 8080, threads: 2, log: '/t/k6-llm-engine.log', forMs: 90_000, installOnly: false });
    assert.throws(() => parseEngineArgs(['--port', 'x']), /^Error: invalid --port; expected an integer 1\.\.65535, got "x"/);
    assert.throws(() => parseEngineArgs(['--prot', '1']), /invalid flag "--prot"; expected one of --port/);
  });
});
