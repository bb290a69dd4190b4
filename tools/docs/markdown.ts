// What the documentation's tests read of a Markdown page: its headings as
// the anchors GitHub makes of them, its links, and its fenced code blocks
// with the marker comment above each. Pure: text in, data out. Enough
// Markdown for this project's pages (ATX headings, inline links, fences),
// not a general parser.

/** A fenced code block. */
export interface Fence {
  /** The info string's first word, lower case ('' when none): sh, ts, json, text, … */
  lang: string;
  /** The lines between the fences. */
  body: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** The `<!-- snippet: kind: reason -->` comment just above the fence, if any. */
  marker: SnippetMarker | null;
}

/** A documented exception to the snippet checks: `<!-- snippet: fragment: why -->`. */
export interface SnippetMarker {
  kind: string;
  reason: string;
}

/** A link or image target, as written, and where. */
export interface Link {
  target: string;
  line: number;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([^\s`]*)/;
const MARKER = /^<!--\s*snippet:\s*([a-z-]+)\s*(?::\s*(.*?))?\s*-->$/;

/** The page's lines, each with whether it lies inside a fenced block (fences included). */
function linesWithFences(markdown: string): { text: string; fenced: boolean }[] {
  const out: { text: string; fenced: boolean }[] = [];
  let open: string | null = null;
  for (const text of markdown.split('\n')) {
    const m = FENCE.exec(text);
    if (open === null && m) {
      open = m[1] as string;
      out.push({ text, fenced: true });
    } else if (open !== null) {
      out.push({ text, fenced: true });
      if (m && (m[1] as string)[0] === open[0] && (m[1] as string).length >= open.length && m[2] === '') open = null;
    } else {
      out.push({ text, fenced: false });
    }
  }
  return out;
}

/** Every fenced code block of the page, in order. */
export function fences(markdown: string): Fence[] {
  const lines = markdown.split('\n');
  const out: Fence[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i] as string);
    if (!open) continue;
    const fence = open[1] as string;
    let end = i + 1;
    while (end < lines.length) {
      const close = FENCE.exec(lines[end] as string);
      if (close && (close[1] as string)[0] === fence[0] && (close[1] as string).length >= fence.length && close[2] === '') break;
      end++;
    }
    let above = i - 1;
    while (above >= 0 && (lines[above] as string).trim() === '') above--;
    const marked = above >= 0 ? MARKER.exec((lines[above] as string).trim()) : null;
    out.push({
      lang: (open[2] as string).toLowerCase(),
      body: lines.slice(i + 1, end).join('\n'),
      line: i + 1,
      marker: marked ? { kind: marked[1] as string, reason: marked[2] ?? '' } : null,
    });
    i = end;
  }
  return out;
}

/** Text with its inline code spans blanked out (a link written inside backticks is not a link). */
function withoutCodeSpans(text: string): string {
  return text.replace(/(`+)[\s\S]*?\1/g, (span) => ' '.repeat(span.length));
}

/** The anchor GitHub gives a heading: lower case, punctuation dropped (but - and _), spaces to hyphens. */
export function githubSlug(heading: string): string {
  const rendered = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // a link or image shows its text
    .replace(/<[^>]+>/g, '') // inline HTML
    .replace(/`/g, '');
  return rendered
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** Every anchor the page offers: its headings' slugs (a repeated slug gets -1, -2, … as on GitHub) and `<a id|name="…">`. */
export function anchors(markdown: string): Set<string> {
  const out = new Set<string>();
  const seen = new Map<string, number>();
  for (const { text, fenced } of linesWithFences(markdown)) {
    if (fenced) continue;
    const heading = /^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(text);
    if (heading) {
      const slug = githubSlug(heading[1] as string);
      const n = seen.get(slug) ?? 0;
      seen.set(slug, n + 1);
      out.add(n === 0 ? slug : `${slug}-${n}`);
    }
    for (const a of text.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) out.add(a[1] as string);
  }
  return out;
}

/** Every inline link and image target outside code: `[text](target)`, `![alt](target)`. */
export function links(markdown: string): Link[] {
  const out: Link[] = [];
  linesWithFences(markdown).forEach(({ text, fenced }, i) => {
    if (fenced) return;
    for (const m of withoutCodeSpans(text).matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) out.push({ target: m[1] as string, line: i + 1 });
  });
  return out;
}

/** The page's text outside fenced blocks. */
export function prose(markdown: string): string {
  return linesWithFences(markdown)
    .map((l) => (l.fenced ? '' : l.text))
    .join('\n');
}
