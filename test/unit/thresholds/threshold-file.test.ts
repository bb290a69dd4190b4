import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../../../src/errors.ts';
import { BUNDLED_THRESHOLDS } from '../../../src/thresholds/bundled.ts';
import { selectThresholds } from '../../../src/thresholds/select.ts';
import {
  meetsPerRequestBounds,
  parseThresholdFile,
  percentilesUsed,
  validateThresholdSpec,
  workloadThresholds,
} from '../../../src/thresholds/threshold-file.ts';

const noFile = (): string => {
  throw new Error('no file expected');
};

test('every bundled thresholds file is valid', () => {
  for (const [name, content] of Object.entries(BUNDLED_THRESHOLDS)) validateThresholdSpec(content, `thresholds/${name}.json`);
});

test('the chat default bounds TTFT p95/p99/max, ITL p95, success, attainment and spread', () => {
  const spec = selectThresholds('', 'chat', noFile);
  assert.ok(spec);
  assert.equal(spec.source, 'thresholds/chat.json (default)');
  const t = workloadThresholds(spec, 'chat');
  assert.deepEqual(t['llm_ttft{workload:chat}'], ['p(95)<300', 'p(99)<500', 'max<=2000']);
  assert.deepEqual(t['llm_itl{workload:chat}'], ['p(95)<100']);
  assert.deepEqual(t['llm_slo_attained{workload:chat}'], ['rate>0.95']);
  assert.deepEqual(t['llm_ttft_spread{workload:chat}'], ['value<=3']);
  assert.deepEqual(t['llm_request_success{workload:chat}'], [{ threshold: 'rate>0.99', abortOnFail: true, delayAbortEval: '10s' }]);
  assert.deepEqual(spec.perRequest, { ttftMs: 500, tpotMs: 100 });
  assert.deepEqual(percentilesUsed(spec).sort(), ['p(95)', 'p(99)']);
});

test('profiles, none, user files and unknown profiles', () => {
  assert.equal(selectThresholds('relaxed', 'chat', noFile)?.source, 'thresholds/chat.relaxed.json');
  assert.equal(selectThresholds('none', 'chat', noFile), null);
  assert.equal(selectThresholds('', 'no-such-workload', noFile), null);
  const user = selectThresholds('/x/my.json', 'chat', () => '{"thresholds":{"llm_e2e":["p(90)<1000"]}}');
  assert.deepEqual(user?.thresholds, { llm_e2e: ['p(90)<1000'] });
  assert.throws(() => selectThresholds('strict', 'chat', noFile), /invalid LLM_THRESHOLDS; expected a path to a \.json file, none, or a profile of chat \(relaxed\), got "strict"/);
  assert.throws(
    () => selectThresholds('/x/missing.json', 'chat', () => { throw new Error('open /x/missing.json: no such file'); }),
    (err: unknown) => err instanceof ConfigError && /invalid LLM_THRESHOLDS; expected a readable thresholds file, got "\/x\/missing.json"/.test(err.message),
  );
});

test('invalid files name the file and the key', () => {
  const cases: [string, RegExp][] = [
    ['not json', /invalid thresholds file f\.json at \(top level\); expected valid JSON/],
    ['[]', /at \(top level\); expected an object/],
    ['{"thresolds":{}}', /at thresolds; expected one of the keys|at thresolds\b|at thresolds;|at thresolds/],
    ['{"thresholds":{"llm_tftt":["p(95)<1"]}}', /at thresholds\.llm_tftt; expected a known metric .*got "llm_tftt" \(did you mean llm_ttft\?\)/],
    ['{"thresholds":{"llm_ttft":"p(95)<1"}}', /at thresholds\.llm_ttft; expected a list of expressions/],
    ['{"thresholds":{"llm_ttft":["p95<1"]}}', /at thresholds\.llm_ttft\[0\]; expected an expression like "p\(95\)<500"/],
    ['{"thresholds":{"llm_ttft":["rate>0.9"]}}', /at thresholds\.llm_ttft\[0\]; expected an aggregation valid for a trend/],
    ['{"thresholds":{"llm_request_success":["p(95)<1"]}}', /at thresholds\.llm_request_success\[0\]; expected an aggregation valid for a rate/],
    ['{"thresholds":{"llm_ttft":["p(150)<1"]}}', /expected a percentile between 0 and 100/],
    ['{"thresholds":{"llm_ttft":[{"threshold":"p(95)<1","abortOnFail":"yes"}]}}', /at thresholds\.llm_ttft\[0\]\.abortOnFail; expected true or false/],
    ['{"thresholds":{"llm_ttft":[{"threshold":"p(95)<1","delayAbortEval":"soon"}]}}', /delayAbortEval; expected a duration/],
    ['{"perRequest":{"ttft":5}}', /at perRequest\.ttft; expected one of ttftMs, tpotMs, e2eMs/],
    ['{"perRequest":{"ttftMs":-5}}', /at perRequest\.ttftMs; expected a positive number/],
    ['{"stability":{"ttftSpreadMax":0.5}}', /at stability\.ttftSpreadMax; expected a number >= 1/],
  ];
  for (const [text, pattern] of cases) {
    assert.throws(() => parseThresholdFile(text, 'f.json'), (err: unknown) => err instanceof ConfigError && pattern.test(err.message), text);
  }
  // The first error is one line.
  try {
    parseThresholdFile('{"thresholds":{"llm_ttft":["p95<1"]}}', 'f.json');
  } catch (err) {
    assert.equal((err as Error).message.split('\n').length, 1);
  }
});

test('k6 expression forms are accepted', () => {
  const spec = parseThresholdFile(
    JSON.stringify({ thresholds: { llm_ttft: ['p(99.9) <= 1e3', 'avg<1', 'med>=0', 'min > 0'], llm_errors: ['count==0'], llm_ttft_spread: ['value<2'] } }),
    'f.json',
  );
  assert.equal(spec.thresholds.llm_ttft?.length, 4);
  assert.deepEqual(percentilesUsed(spec), ['p(99.9)']);
});

test('per-request bounds decide goodput, skipping unmeasured figures', () => {
  const b = { ttftMs: 500, tpotMs: 50 };
  assert.equal(meetsPerRequestBounds(b, { ttftMs: 499, tpotMs: 50, e2eMs: 9999 }), true);
  assert.equal(meetsPerRequestBounds(b, { ttftMs: 501, tpotMs: 10, e2eMs: 1 }), false);
  assert.equal(meetsPerRequestBounds(b, { ttftMs: 100, tpotMs: 51, e2eMs: 1 }), false);
  assert.equal(meetsPerRequestBounds(b, { ttftMs: null, tpotMs: null, e2eMs: 5 }), true);
  assert.equal(meetsPerRequestBounds({ e2eMs: 10 }, { ttftMs: 1, tpotMs: 1, e2eMs: 11 }), false);
});

test('a bare k6 thresholds map is a thresholds file', () => {
  const spec = parseThresholdFile(
    JSON.stringify({
      llm_ttft: ['p(95)<300', { threshold: 'p(99)<500', abortOnFail: true }],
      'llm_ttft{phase:cold}': ['max<9000'],
      http_req_failed: ['rate<0.01'],
    }),
    'k6.json',
  );
  assert.deepEqual(spec.thresholds, {
    llm_ttft: ['p(95)<300', { threshold: 'p(99)<500', abortOnFail: true }],
    'llm_ttft{phase:cold}': ['max<9000'],
    http_req_failed: ['rate<0.01'],
  });
  assert.deepEqual(spec.perRequest, {});
  assert.equal(spec.ttftSpreadMax, null);
  assert.deepEqual(workloadThresholds(spec, 'chat'), {
    'llm_ttft{workload:chat}': ['p(95)<300', { threshold: 'p(99)<500', abortOnFail: true }],
    'llm_ttft{workload:chat,phase:cold}': ['max<9000'],
    'http_req_failed{workload:chat}': ['rate<0.01'],
  });
  // Through LLM_THRESHOLDS too, and it is validated like the thresholds key: errors point at the key as written.
  assert.deepEqual(selectThresholds('/x/k6.json', 'chat', () => '{"llm_e2e":["p(90)<1000"]}')?.thresholds, { llm_e2e: ['p(90)<1000'] });
  const cases: [string, RegExp][] = [
    ['{"llm_ttft":["p95<1"]}', /at llm_ttft\[0\]; expected an expression like "p\(95\)<500"/],
    ['{"llm_ttft":"p(95)<1"}', /at llm_ttft; expected a list of expressions/],
    ['{"llm_ttft":["p(95)<1"],"llm_tftt":["p(95)<1"]}', /at llm_tftt; expected a known metric .*\(did you mean llm_ttft\?\)/],
    // One key of the file's own form makes it that form: a metric beside it is a misplaced key.
    ['{"description":"x","llm_ttft":["p(95)<1"]}', /at llm_ttft; expected one of the keys description, thresholds, perRequest, stability, or a k6 thresholds map/],
    ['{"thresolds":{}}', /at thresolds; expected one of the keys .* \(did you mean thresholds\?\)/],
  ];
  for (const [text, pattern] of cases) {
    assert.throws(() => parseThresholdFile(text, 'f.json'), (err: unknown) => err instanceof ConfigError && pattern.test(err.message), text);
  }
});

test('a key that is neither a file key nor a metric says how to fix it: a metric name for a bare map, else the bare map form', () => {
  assert.throws(() => validateThresholdSpec({ llm_ttf: ['p(95)<300'] }, 'f.json'), /got "llm_ttf" \(did you mean llm_ttft\? a bare thresholds map's keys are metric names, e\.g\. \{"llm_ttft": \["p\(95\)<300"\]\}\)$/);
  assert.throws(() => validateThresholdSpec({ ttft: ['p(95)<300'] }, 'f.json'), /got "ttft" \(a bare thresholds map names metrics, e\.g\. \{"llm_ttft": \["p\(95\)<300"\]\}; other settings go under "thresholds", "perRequest" or "stability"\)$/);
});
