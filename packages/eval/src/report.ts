/**
 * One self-contained report.html per run: metrics, per-class scores, figures, params, hashes.
 * Figures are embedded as base64 `data:image/svg+xml` images: no external URL, and each SVG keeps
 * its own id namespace (Vega's clip-path ids would collide if several SVGs were inlined).
 */
import { flatten } from '@ser/core';
import type { EvalMetrics, SplitMetrics } from './metrics.ts';

export interface ReportInput {
  title: string;
  metrics: EvalMetrics;
  figures: { title: string; svg: string }[];
  /** Resolved params per stage (nested), shown flattened as `stage.key`. */
  params: Record<string, unknown>;
  /** Provenance lines, e.g. dataset hash, code hash per stage, output hashes. */
  hashes: { label: string; value: string }[];
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]);

const pct = (x: number) => (100 * x).toFixed(1);
const num = (x: number) => x.toFixed(3);

function table(header: string[], rows: string[][], numericFrom = 1): string {
  const cell = (tag: string, text: string, c: number) => `<${tag}${c >= numericFrom ? ' class="num"' : ''}>${escape(text)}</${tag}>`;
  return (
    `<table><thead><tr>${header.map((h, c) => cell('th', h, c)).join('')}</tr></thead><tbody>` +
    rows.map((r) => `<tr>${r.map((x, c) => cell('td', x, c)).join('')}</tr>`).join('') +
    '</tbody></table>'
  );
}

function summaryTable(m: EvalMetrics): string {
  const splits = (['val', 'test'] as const).filter((s) => m[s] !== null);
  const row = (label: string, get: (s: SplitMetrics) => string) => [label, ...splits.map((s) => get(m[s]!))];
  const genders = [...new Set(splits.flatMap((s) => Object.keys(m[s]!.byGender)))];
  return table(
    ['metric', ...splits],
    [
      row('samples', (s) => String(s.count)),
      row('accuracy (%)', (s) => pct(s.accuracy)),
      row('balanced accuracy / UAR (%)', (s) => pct(s.balancedAccuracy)),
      row('macro-F1', (s) => num(s.macroF1)),
      row('weighted F1', (s) => num(s.weightedF1)),
      ...genders.map((g) => row(`macro-F1, ${g} speakers`, (s) => (s.byGender[g] ? `${num(s.byGender[g].macroF1)} (n=${s.byGender[g].count})` : '–'))),
      row('speakers', (s) => s.speakers.join(' ')),
    ],
  );
}

function perClassTable(s: SplitMetrics): string {
  return table(
    ['class', 'precision', 'recall', 'F1', 'support'],
    Object.entries(s.perClass).map(([name, c]) => [name, num(c.precision), num(c.recall), num(c.f1), String(c.support)]),
  );
}

const svgDataUrl = (svg: string) => `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;

const STYLE = `
body{font-family:system-ui,'DejaVu Sans',sans-serif;margin:2rem auto;max-width:1200px;padding:0 1rem;color:#222}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:.5rem 0}th,td{padding:.2rem .6rem;border-bottom:1px solid #eee;text-align:left}
.num{text-align:right;font-variant-numeric:tabular-nums}.protocol{background:#f6f6f6;padding:.5rem 1rem;border-left:4px solid #4c78a8}
figure{margin:1rem 0}.figures{display:flex;flex-wrap:wrap;gap:1rem 2rem;align-items:flex-start}figure img{max-width:100%;height:auto}
.cols{display:flex;gap:2rem;flex-wrap:wrap}code{font-size:.85rem}`;

export function renderReport(input: ReportInput): string {
  const m = input.metrics;
  const perClass = (['val', 'test'] as const)
    .filter((s) => m[s] !== null)
    .map((s) => `<div><h3>${s}</h3>${perClassTable(m[s]!)}</div>`)
    .join('');
  const figures = input.figures
    // The figure's own title is drawn in the SVG; alt carries it for screen readers.
    .map((f) => `<figure><img alt="${escape(f.title)}" src="${svgDataUrl(f.svg)}"></figure>`)
    .join('\n');
  const params = Object.entries(flatten(input.params)).map(([k, v]) => [k, JSON.stringify(v)]);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escape(input.title)}</title><style>${STYLE}</style></head>
<body>
<h1>${escape(input.title)}</h1>
<p class="protocol"><strong>Split protocol:</strong> ${escape(m.protocol.description)}. Backend: ${escape(m.backend)}.</p>
<h2>Metrics</h2>
${summaryTable(m)}
<h2>Per class</h2>
<div class="cols">${perClass}</div>
<h2>Figures</h2>
<div class="figures">${figures}</div>
<h2>Params</h2>
${table(['param', 'value'], params, 2)}
<h2>Data and code</h2>
${table(['what', 'sha256'], input.hashes.map((h) => [h.label, h.value]), 2)}
</body></html>
`;
}
