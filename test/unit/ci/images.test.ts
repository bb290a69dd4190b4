// The images and CI templates a user copies: one k6 version everywhere (the
// CLI image, the k8s runner image, both CI templates, the TestRun's image
// tag), one k6-llm version (the package's), and k6-llm installed as a user
// installs it (npm install k6-llm, the packaged meter), never Go.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../../../tools/provision/k6.ts';

const root = repoRoot();
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const one = (text: string, re: RegExp, where: string): string => {
  const m = re.exec(text);
  assert.ok(m?.[1], `${where}: no match for ${re}`);
  return m[1];
};
const version = (JSON.parse(read('package.json')) as { version: string }).version;

test('one k6 version across the images and the CI templates', () => {
  const k6 = one(read('Dockerfile'), /^ARG K6_VERSION=(\S+)$/m, 'Dockerfile');
  assert.equal(one(read('ci/k8s/Dockerfile'), /^ARG K6_VERSION=(\S+)$/m, 'ci/k8s/Dockerfile'), k6);
  assert.equal(one(read('ci/github-actions.yml'), /k6-version: '([^']+)'/, 'ci/github-actions.yml'), k6);
  assert.equal(one(read('ci/gitlab-ci.yml'), /K6_VERSION: "([^"]+)"/, 'ci/gitlab-ci.yml'), k6);
  assert.equal(one(read('ci/k8s/testrun.yaml'), /image: REGISTRY\/k6-llm-runner:(\S+)/, 'ci/k8s/testrun.yaml'), k6);
  for (const file of ['Dockerfile', 'ci/k8s/Dockerfile']) {
    const froms = read(file).match(/^FROM .*$/gm) ?? [];
    assert.ok(froms.length > 0 && froms.every((f) => f.startsWith('FROM grafana/k6:${K6_VERSION}')), `${file}: ${froms.join(' | ')}`);
  }
});

test('the images and templates install this k6-llm version from its packages, without Go', () => {
  assert.equal(one(read('Dockerfile'), /^ARG K6_LLM_VERSION=(\S+)$/m, 'Dockerfile'), version);
  assert.equal(one(read('ci/k8s/Dockerfile'), /^ARG K6_LLM_VERSION=(\S+)$/m, 'ci/k8s/Dockerfile'), version);
  assert.equal(one(read('ci/github-actions.yml'), /K6_LLM_VERSION: '([^']+)'/, 'ci/github-actions.yml'), version);
  assert.equal(one(read('ci/gitlab-ci.yml'), /K6_LLM_VERSION: "([^"]+)"/, 'ci/gitlab-ci.yml'), version);
  for (const file of ['ci/github-actions.yml', 'ci/gitlab-ci.yml']) {
    const text = read(file);
    assert.match(text, /npm install [^\n]*"k6-llm@\$K6_LLM_VERSION"/, file);
    assert.doesNotMatch(text, /setup-go|golang|\bgo (build|version)\b|npm ci\b|dist\/tools|meter\//, file);
  }
  assert.match(read('Dockerfile'), /npm install [^\n]*k6-llm-\$\{K6_LLM_VERSION\}\.tgz[^\n]*k6-llm-meter-linux-\$\{cpu\}-\$\{K6_LLM_VERSION\}\.tgz/);
  for (const file of ['Dockerfile', 'ci/k8s/Dockerfile']) {
    assert.doesNotMatch(read(file), /golang|go build/, file);
    assert.match(read(file), /sha256sum -c -/, `${file} checks the tarballs against SHA256SUMS`);
  }
});
