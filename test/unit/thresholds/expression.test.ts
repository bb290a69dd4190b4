// The one threshold-expression parser: the forms k6 accepts, canonical
// percentiles, the median under either name, and k6's comparisons.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compare, expressionOf, parseExpression, percentileOf, valueOf } from '../../../src/thresholds/expression.ts';

test('parses the forms k6 accepts, percentiles canonical', () => {
  const cases: [string, ReturnType<typeof parseExpression>][] = [
    ['p(95)<300', { aggregation: 'p(95)', operator: '<', bound: 300 }],
    [' p( 99.0 ) <= 1e3 ', { aggregation: 'p(99)', operator: '<=', bound: 1000 }],
    ['rate>=0.99', { aggregation: 'rate', operator: '>=', bound: 0.99 }],
    ['count===0', { aggregation: 'count', operator: '===', bound: 0 }],
    ['value!=-1', { aggregation: 'value', operator: '!=', bound: -1 }],
    ['med > 5', { aggregation: 'med', operator: '>', bound: 5 }],
    ['p95<300', null],
    ['p(95)<300ms', null],
    ['sum<1', null],
  ];
  for (const [text, want] of cases) assert.deepEqual(parseExpression(text), want, text);
});

test('percentileOf, expressionOf, valueOf and compare', () => {
  assert.equal(percentileOf('p(99.9)'), 99.9);
  assert.equal(percentileOf('med'), null);
  assert.equal(expressionOf({ threshold: 'rate>0.9' }), 'rate>0.9');
  assert.equal(expressionOf('max<1'), 'max<1');
  assert.equal(valueOf({ med: 7 }, 'p(50)'), 7);
  assert.equal(valueOf({ 'p(50)': 8 }, 'med'), 8);
  assert.equal(valueOf({ 'p(95)': NaN }, 'p(95)'), null);
  assert.equal(valueOf({}, 'rate'), null);
  assert.equal(compare(1, '<', 1), false);
  assert.equal(compare(1, '<=', 1), true);
  assert.equal(compare(2, '==', 2), true);
  assert.equal(compare(2, '!=', 2), false);
});
