import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeMsPerToken, parseEngineTimings } from '../../../tools/engine/server-log.ts';

// Two requests as llama-cpp-python 0.3.x logs them with verbose on (the
// second reused part of the previous prompt from the KV cache), with the
// uvicorn access lines between them.
const LOG = `llama_perf_context_print:        load time =     131.71 ms
llama_perf_context_print: prompt eval time =     131.20 ms /    28 tokens (    4.69 ms per token,   213.41 tokens per second)
llama_perf_context_print:        eval time =     301.50 ms /    15 runs   (   20.10 ms per token,    49.75 tokens per second)
llama_perf_context_print:       total time =     440.88 ms /    43 tokens
INFO:     127.0.0.1:40312 - "POST /v1/chat/completions HTTP/1.1" 200 OK
Llama.generate: 5 prefix-match hit, remaining 23 prompt tokens to eval
llama_perf_context_print:        load time =     131.71 ms
llama_perf_context_print: prompt eval time =     110.02 ms /    23 tokens (    4.78 ms per token,   209.05 tokens per second)
llama_perf_context_print:        eval time =       0.00 ms /     1 runs   (    0.00 ms per token,      inf tokens per second)
llama_perf_context_print:       total time =     112.40 ms /    24 tokens
`;

describe('parseEngineTimings', () => {
  test('one block per request, in log order, prompt eval not mistaken for eval', () => {
    const t = parseEngineTimings(LOG);
    assert.equal(t.length, 2);
    assert.deepEqual(t[0], { promptEvalMs: 131.2, promptTokens: 28, evalMs: 301.5, evalRuns: 15, totalMs: 440.88 });
    assert.deepEqual(t[1], { promptEvalMs: 110.02, promptTokens: 23, evalMs: 0, evalRuns: 1, totalMs: 112.4 });
  });

  test('lines before the first prompt eval line (load time) start no block; a block without eval has 0 runs', () => {
    const t = parseEngineTimings('llama_perf_context_print:        eval time =  5.00 ms /  1 runs\nllama_perf_context_print: prompt eval time = 9.5 ms / 3 tokens (x)\n');
    assert.deepEqual(t, [{ promptEvalMs: 9.5, promptTokens: 3, evalMs: 0, evalRuns: 0, totalMs: null }]);
  });

  test('decode per token is eval time / runs, null with none', () => {
    assert.equal(decodeMsPerToken({ promptEvalMs: 1, promptTokens: 1, evalMs: 301.5, evalRuns: 15, totalMs: null }), 20.1);
    assert.equal(decodeMsPerToken({ promptEvalMs: 1, promptTokens: 1, evalMs: 0, evalRuns: 0, totalMs: null }), null);
  });
});
