// The report page's one stylesheet and its frame (head, title, body): every
// page of the report (a run, a ramp, a comparison) looks the same. Pure.

import { escapeXml as esc } from './svg.ts';

/** Inline CSS of the report (no fonts, no links). */
export const STYLE = `
body { font-family: Helvetica, Arial, sans-serif; margin: 24px auto; max-width: 1180px; color: #222; padding: 0 16px; }
h1 { font-size: 22px; margin-bottom: 4px; } h2 { font-size: 19px; margin-top: 32px; border-bottom: 2px solid #ddd; padding-bottom: 4px; }
h3 { font-size: 15px; margin: 22px 0 6px; }
.meta { color: #666; font-size: 13px; }
.cards, .points { display: flex; gap: 12px; flex-wrap: wrap; margin: 14px 0; }
.card { border: 1px solid #ddd; border-radius: 6px; padding: 8px 12px; flex: 1 1 150px; }
.card .name, .point .name { font-size: 12px; color: #666; text-transform: uppercase; letter-spacing: .04em; }
.card .value { font-size: 20px; font-weight: bold; margin: 2px 0; }
.card .sub { font-size: 12px; color: #555; }
.card.cost .value { color: #7b3294; }
.point { border: 1px solid #ddd; border-radius: 6px; padding: 12px 16px; flex: 1 1 300px; }
.point .value { font-size: 26px; font-weight: bold; margin: 4px 0; }
.point.sat .value { color: #7b3294; } .point.slo .value { color: #2ca02c; } .point.stop .value { color: #d62728; }
.point .why { font-size: 13px; color: #444; }
table { border-collapse: collapse; font-size: 13px; width: 100%; margin: 6px 0; }
th, td { border-bottom: 1px solid #e5e5e5; padding: 4px 6px; text-align: right; white-space: nowrap; }
th { background: #f6f6f6; } td.l, th.l { text-align: left; white-space: normal; }
tr.fail td { background: #fdecea; } tr.cut td { color: #999; } tr.mark td:first-child { font-weight: bold; }
tr.ok td.verdict { color: #2ca02c; font-weight: bold; } tr.fail td.verdict { color: #d62728; font-weight: bold; }
td.yes { color: #2ca02c; font-weight: bold; } td.no { color: #d62728; font-weight: bold; background: #fdecea; }
.warn { background: #fff8e1; border-left: 4px solid #f0b400; padding: 6px 10px; font-size: 13px; margin: 4px 0; }
.charts { display: flex; flex-wrap: wrap; gap: 8px 16px; }
.charts svg { max-width: 100%; height: auto; display: block; margin: 6px 0 10px; }
.ramp-charts { display: block; }
.ramp table { font-size: 12px; } .ramp th, .ramp td { padding: 3px 4px; } .point.cost .value { color: #7b3294; }
td.best { font-weight: bold; }
.ok-badge, .fail-badge { font-size: 12px; padding: 2px 8px; border-radius: 10px; vertical-align: middle; margin-left: 8px; }
.ok-badge { background: #e6f4ea; color: #1e7e34; } .fail-badge { background: #fdecea; color: #c62828; }
code { background: #f3f3f3; padding: 1px 4px; border-radius: 3px; }
`;

/** The whole page around `body`. */
export function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${STYLE}</style></head>
<body>
${body}
</body></html>
`;
}
