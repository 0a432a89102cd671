/**
 * One self-contained report.html per run: metrics, per-class scores, figures, params, hashes.
 * Figures are embedded as base64 `data:image/svg+xml` images: no external URL, and each SVG keeps
 * its own id namespace (Vega's clip-path ids would collide if several SVGs were inlined).
 */
import { flatten } from '@ser/core';
import { pointOf, type Interval } from './intervals.ts';
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

/** A figure as text, with its interval when metrics.json has one (`scale` 100 for percentages). */
function withInterval(value: number, interval: Interval | undefined, scale = 1): string {
  const f = (x: number) => (scale === 100 ? pct(x) : num(x));
  if (!interval?.ci95) return f(value);
  return `${f(value)} [${f(interval.ci95[0])}, ${f(interval.ci95[1])}]`;
}

/** The figures of the evaluated splits: holdout values with their bootstrap intervals, or the pooled test of cross-validation. */
function summaryTable(m: EvalMetrics): string {
  const splits = (['val', 'test'] as const).filter((s) => m[s] !== null);
  const cv = Boolean(m.folds);
  const at = (s: string, key: string) => (cv ? undefined : m.summary[`${s}.${key}`]);
  const row = (label: string, get: (s: SplitMetrics, split: string) => string) => [label, ...splits.map((s) => get(m[s]!, s))];
  const genders = [...new Set(splits.flatMap((s) => Object.keys(m[s]!.byGender)))];
  return table(
    ['metric', ...splits.map((s) => (cv ? `${s}, all folds pooled` : `${s} [95% bootstrap CI]`))],
    [
      row('samples', (s) => String(s.count)),
      row('accuracy (%)', (s, split) => withInterval(s.accuracy, at(split, 'accuracy'), 100)),
      row('balanced accuracy / UAR (%)', (s, split) => withInterval(s.balancedAccuracy, at(split, 'balancedAccuracy'), 100)),
      row('macro-F1', (s, split) => withInterval(s.macroF1, at(split, 'macroF1'))),
      row('weighted F1', (s, split) => withInterval(s.weightedF1, at(split, 'weightedF1'))),
      ...genders.map((g) =>
        row(`macro-F1, ${g} speakers`, (s, split) =>
          s.byGender[g] ? `${withInterval(s.byGender[g].macroF1, at(split, `byGender.${g}.macroF1`))} (n=${s.byGender[g].count})` : '–',
        ),
      ),
      row('speakers', (s) => s.speakers.join(' ')),
    ],
  );
}

/** Cross-validation: each figure's mean over folds with its Student-t interval, then one row per fold. */
function foldTables(m: EvalMetrics): string {
  if (!m.folds) return '';
  const figures = Object.entries(m.summary).filter(([path]) => path.startsWith('test.') || path.startsWith('val.'));
  const summary = table(
    ['metric', 'mean', 'std', '95% CI (t)', 'folds'],
    figures.map(([path, i]) => [
      path,
      num(pointOf(i)),
      i.method === 't' && i.std !== null ? num(i.std) : '–',
      i.ci95 ? `[${num(i.ci95[0])}, ${num(i.ci95[1])}]` : '–',
      String(i.n),
    ]),
  );
  const genders = [...new Set(m.folds.flatMap((f) => Object.keys(f.test?.byGender ?? {})))].sort();
  const perFold = table(
    [
      'fold',
      'test speakers',
      'val speakers',
      'test n',
      'test macro-F1',
      'test accuracy (%)',
      'test UAR (%)',
      ...genders.map((g) => `test macro-F1, ${g}`),
      'val macro-F1',
    ],
    m.folds.map((f) => [
      String(f.fold),
      f.actors.test.join(' '),
      f.actors.val.join(' '),
      String(f.test?.count ?? 0),
      f.test ? num(f.test.macroF1) : '–',
      f.test ? pct(f.test.accuracy) : '–',
      f.test ? pct(f.test.balancedAccuracy) : '–',
      ...genders.map((g) => (f.test?.byGender[g] ? num(f.test.byGender[g].macroF1) : '–')),
      f.val ? num(f.val.macroF1) : '–',
    ]),
    3,
  );
  return `<h2>Cross-validation: mean over folds</h2>\n${summary}\n<h2>Per fold</h2>\n${perFold}`;
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
${foldTables(m)}
<h2>${m.folds ? 'Test, all folds pooled' : 'Metrics'}</h2>
${summaryTable(m)}
<h2>Per class</h2>
<div class="cols">${perClass}</div>
<h2>Figures</h2>
<div class="figures">${figures}</div>
<h2>Params</h2>
${table(['param', 'value'], params, 2)}
<h2>Data and code</h2>
${table(
  ['what', 'sha256'],
  input.hashes.map((h) => [h.label, h.value]),
  2,
)}
</body></html>
`;
}
