// Prometheus text exposition (format 0.0.4), parsed: one sample per line as
// name, labels and value; comments, TYPE and HELP lines skipped. Pure and
// small on purpose (no Node or k6 import), so the k6 runtime could use it too.

/** One sample line. */
export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The result of parsing: samples, and how many lines were not samples nor comments. */
export interface PromParse {
  samples: PromSample[];
  badLines: number;
}

const NAME = /^([a-zA-Z_:][a-zA-Z0-9_:]*)/;

function parseValue(text: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return NaN;
  return text.trim() === '' ? NaN : Number(text);
}

/** Parses labels from `{a="x",b="y\"z"}` starting at `i` (the `{`); returns them and the index after `}`, or null. */
function parseLabels(line: string, i: number): { labels: Record<string, string>; end: number } | null {
  const labels: Record<string, string> = {};
  i++;
  while (i < line.length) {
    while (line[i] === ' ' || line[i] === ',') i++;
    if (line[i] === '}') return { labels, end: i + 1 };
    const m = /^([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"/.exec(line.slice(i));
    if (!m) return null;
    i += m[0].length;
    let value = '';
    while (i < line.length && line[i] !== '"') {
      if (line[i] === '\\' && i + 1 < line.length) {
        const next = line[i + 1];
        value += next === 'n' ? '\n' : next;
        i += 2;
      } else value += line[i++];
    }
    if (line[i] !== '"') return null;
    labels[m[1]] = value;
    i++;
  }
  return null;
}

/** Parses an exposition text. */
export function parsePrometheusText(text: string): PromParse {
  const samples: PromSample[] = [];
  let badLines = 0;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const name = NAME.exec(line);
    if (!name) {
      badLines++;
      continue;
    }
    let i = name[1].length;
    let labels: Record<string, string> = {};
    if (line[i] === '{') {
      const parsed = parseLabels(line, i);
      if (!parsed) {
        badLines++;
        continue;
      }
      labels = parsed.labels;
      i = parsed.end;
    }
    const rest = line.slice(i).trim().split(/\s+/);
    const value = parseValue(rest[0] ?? '');
    if (Number.isNaN(value) && rest[0] !== 'NaN') {
      badLines++;
      continue;
    }
    samples.push({ name: name[1], labels, value });
  }
  return { samples, badLines };
}
