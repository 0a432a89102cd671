/**
 * Experiment comparison over run records (data/runs/<id>.json), in the spirit of `dvc exp show`,
 * `dvc metrics diff` and MLflow's run comparison: params as flat `stage.key.sub` columns, showing by
 * default only those that differ between the runs, next to the key metrics.
 */
import { flatten, type RunRecord } from '@ser/core';
import { pairedTInterval, verdict, type Verdict } from './stats/index.ts';

/** Shown by default; paths into metrics.json. */
export const KEY_METRICS = ['test.macroF1', 'test.accuracy', 'test.balancedAccuracy', 'val.macroF1'] as const;

export type TableFormat = 'table' | 'csv' | 'json';

export interface ExpShowOptions {
  /** Column to sort by (a metric such as `test.macroF1`, a param such as `train.learningRate`, `id` or `created`). */
  sortBy?: string;
  /** Default: descending for metrics (higher is better), ascending otherwise. */
  ascending?: boolean;
  /** Show every param, not only those that differ between the runs. */
  allParams?: boolean;
  /** More metric columns (paths into metrics.json, e.g. `test.byGender.female.macroF1`). */
  metrics?: string[];
  format?: TableFormat;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Stages in pipeline order: the order of the records' params (the runner records them in run order). */
function stageOrder(records: readonly RunRecord[]): string[] {
  return [...new Set(records.flatMap((r) => Object.keys(r.params)))];
}

/** Param keys (flattened `stage.key.sub`; arrays are leaves) (stage order, then key order) whose values are not equal in every record. */
export function differingParams(records: readonly RunRecord[], allParams = false): string[] {
  const flat = records.map((r) => flatten(r.params));
  const keys = [...new Set(flat.flatMap((f) => Object.keys(f)))];
  const stages = stageOrder(records);
  const stageRank = (key: string) => stages.indexOf(key.split('.')[0]);
  return keys
    .map((key, order) => ({ key, order }))
    .sort((x, y) => stageRank(x.key) - stageRank(y.key) || x.order - y.order)
    .map((x) => x.key)
    .filter((key) => allParams || flat.some((f) => !same(f[key], flat[0][key])));
}

/** A value at a dotted path, or undefined. */
function at(value: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, k) => (isPlainObject(v) ? v[k] : undefined), value);
}

function metricOf(record: RunRecord, path: string): number | null {
  const v = at(record.metrics, path);
  return typeof v === 'number' ? v : null;
}

interface Column {
  name: string;
  kind: 'text' | 'param' | 'metric';
  get(r: RunRecord): unknown;
}

function columns(records: readonly RunRecord[], allParams: boolean, extraMetrics: readonly string[] = []): Column[] {
  const metrics = [...new Set([...KEY_METRICS, ...extraMetrics])];
  return [
    { name: 'id', kind: 'text', get: (r) => r.id },
    { name: 'created', kind: 'text', get: (r) => r.createdAt },
    ...differingParams(records, allParams).map((key): Column => ({ name: key, kind: 'param', get: (r) => flatten(r.params)[key] })),
    ...metrics.map((path): Column => ({ name: path, kind: 'metric', get: (r) => metricOf(r, path) })),
  ];
}

/** Sort key: missing values last in either direction. */
function compareValues(a: unknown, b: unknown, ascending: boolean): number {
  const missing = (v: unknown) => v === undefined || v === null;
  if (missing(a) || missing(b)) return Number(missing(a)) - Number(missing(b));
  const order = typeof a === 'number' && typeof b === 'number' ? a - b : String(JSON.stringify(a)).localeCompare(String(JSON.stringify(b)));
  return ascending ? order : -order;
}

/** Metrics with 4 decimals, except sample counts (`*.count`). */
const decimals = (metric: string) => (metric.endsWith('count') ? 0 : 4);

function display(value: unknown, kind: Column['kind'], digits = 4): string {
  if (value === undefined || value === null) return '-';
  if (kind === 'metric' && typeof value === 'number') return value.toFixed(digits);
  if (kind === 'text' && typeof value === 'string' && /^\d{4}-\d\d-\d\dT/.test(value)) return value.slice(0, 16).replace('T', ' ');
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function csvCell(value: unknown): string {
  const s = value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Columns padded to their widest cell; numbers right-aligned. */
function textTable(header: string[], rows: string[][], rightAlign: boolean[]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) =>
    cells.map((cell, c) => (rightAlign[c] ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** One row per run: id, created, the params that differ (or all), the key metrics. */
export function expShow(records: readonly RunRecord[], options: ExpShowOptions = {}): string {
  const { sortBy, allParams = false, format = 'table' } = options;
  const extra = [...(options.metrics ?? [])];
  // Sorting by a metric that is not shown adds its column.
  if (sortBy !== undefined && records.some((r) => metricOf(r, sortBy) !== null)) extra.push(sortBy);
  const cols = columns(records, allParams, extra);
  const rows = [...records];
  if (sortBy !== undefined) {
    const col = cols.find((c) => c.name === sortBy) ?? columns(records, true).find((c) => c.name === sortBy);
    if (!col)
      throw new Error(
        `cannot sort by '${sortBy}': not a param or a metric of any run (columns: ${columns(records, true).map((c) => c.name).join(', ')})`,
      );
    const ascending = options.ascending ?? col.kind !== 'metric';
    rows.sort((a, b) => compareValues(col.get(a), col.get(b), ascending));
  } else rows.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  if (format === 'json')
    return JSON.stringify(
      rows.map((r) => Object.fromEntries(cols.map((c) => [c.name, c.get(r) ?? null]))),
      null,
      2,
    );
  if (format === 'csv')
    return [cols.map((c) => csvCell(c.name)), ...rows.map((r) => cols.map((c) => csvCell(c.get(r))))].map((l) => l.join(',')).join('\n');
  if (rows.length === 0) return 'no recorded runs';
  return textTable(
    cols.map((c) => c.name),
    rows.map((r) => cols.map((c) => display(c.get(r), c.kind, decimals(c.name)))),
    cols.map((c) => c.kind === 'metric'),
  );
}

export interface RunDiff {
  a: string;
  b: string;
  params: { key: string; a: unknown; b: unknown }[];
  /** `delta` = b − a; null when either run lacks the metric. */
  metrics: { key: string; a: number | null; b: number | null; delta: number | null }[];
  dataset: { a: string | null; b: string | null } | null;
  /** Stages whose outputs differ between the runs. */
  stages: string[];
}

/** metrics.json keys holding a split's numbers (the rest describes the protocol). */
const SPLITS = ['val', 'test'];

/**
 * What changed from run `a` to run `b`: params, dataset, stage outputs and metric deltas.
 * Metrics: every number under `val` and `test` in metrics.json except per-class scores
 * (`allMetrics` includes those too).
 */
export function expDiff(a: RunRecord, b: RunRecord, { allMetrics = false }: { allMetrics?: boolean } = {}): RunDiff {
  const params = differingParams([a, b]).map((key) => ({ key, a: flatten(a.params)[key], b: flatten(b.params)[key] }));
  const numeric = (r: RunRecord) =>
    Object.fromEntries(
      Object.entries(flatten(r.metrics)).filter(
        ([key, v]) =>
          typeof v === 'number' && SPLITS.includes(key.split('.')[0]) && (allMetrics || !key.split('.').includes('perClass')),
      ),
    ) as Record<string, number>;
  const ma = numeric(a);
  const mb = numeric(b);
  const metricKeys = [...new Set([...KEY_METRICS, ...Object.keys(ma), ...Object.keys(mb)])].filter(
    (k) => k in ma || k in mb,
  );
  return {
    a: a.id,
    b: b.id,
    params,
    metrics: metricKeys.map((key) => {
      const va = ma[key] ?? null;
      const vb = mb[key] ?? null;
      return { key, a: va, b: vb, delta: va === null || vb === null ? null : vb - va };
    }),
    dataset: a.dataset.hash === b.dataset.hash ? null : { a: a.dataset.hash, b: b.dataset.hash },
    stages: Object.keys({ ...a.stages, ...b.stages }).filter((s) => a.stages[s]?.outputsHash !== b.stages[s]?.outputsHash),
  };
}

const signed = (x: number | null, digits: number) => (x === null ? '-' : `${x >= 0 ? '+' : ''}${x.toFixed(digits)}`);

export function formatDiff(diff: RunDiff, format: TableFormat = 'table'): string {
  if (format === 'json') return JSON.stringify(diff, null, 2);
  if (format === 'csv')
    return [
      'kind,key,a,b,delta',
      ...diff.params.map((p) => ['param', p.key, p.a, p.b, ''].map(csvCell).join(',')),
      ...diff.metrics.map((m) => ['metric', m.key, m.a, m.b, m.delta].map(csvCell).join(',')),
    ].join('\n');
  const parts = [
    `${diff.a} → ${diff.b}`,
    diff.params.length
      ? textTable(
          ['param', diff.a, diff.b],
          diff.params.map((p) => [p.key, display(p.a, 'param'), display(p.b, 'param')]),
          [false, false, false],
        )
      : 'params: identical',
  ];
  if (diff.dataset) {
    const short = (h: string | null) => h?.slice(0, 12) ?? '(none)';
    parts.push(`dataset changed: ${short(diff.dataset.a)} → ${short(diff.dataset.b)}`);
  }
  if (diff.stages.length) parts.push(`stage outputs differ: ${diff.stages.join(', ')}`);
  parts.push(
    diff.metrics.length
      ? textTable(
          ['metric', diff.a, diff.b, 'change'],
          diff.metrics.map((m) => [m.key, ...[m.a, m.b].map((v) => display(v, 'metric', decimals(m.key))), signed(m.delta, decimals(m.key))]),
          [false, true, true, true],
        )
      : 'metrics: none recorded',
  );
  return parts.join('\n\n');
}

/** Which stages ran in a run and why (the reasons recorded by the stage runner), in pipeline order. */
export function expWhy(record: RunRecord): string {
  const names = Object.keys(record.stages);
  const width = Math.max(0, ...names.map((s) => s.length));
  const lines = names.map((name) => {
    const s = record.stages[name];
    if (!s.ran) return `  ${name.padEnd(width)}  up to date (outputs ${s.outputsHash.slice(0, 12)})`;
    const why = s.reasons.length ? s.reasons.join('; ') : 'no reason recorded';
    return `  ${name.padEnd(width)}  ran in ${(s.wallMs / 1000).toFixed(1)} s: ${why}`;
  });
  const overrides = Object.entries(record.overrides).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  const header = `${record.id} (${display(record.createdAt, 'text')}${record.gitCommit ? `, commit ${record.gitCommit.slice(0, 8)}` : ''})`;
  return [header, ...(overrides.length ? [`  overrides: ${overrides.join(' ')}`] : []), ...lines].join('\n');
}

/**
 * A metric's 95% interval where the run's metrics.json has one (`summary.<metric>.ci95`: a t-interval
 * over folds or seeds, or a bootstrap over one split's recordings; the summary keyed by the flat
 * metric path or nested), else null.
 */
export function metricInterval(record: RunRecord, metric: string): [number, number] | null {
  const summary = at(record.metrics, 'summary');
  const entry = isPlainObject(summary) && metric in summary ? summary[metric] : at(summary, metric);
  const ci95 = isPlainObject(entry) ? entry.ci95 : undefined;
  return Array.isArray(ci95) && ci95.length === 2 && ci95.every((x) => typeof x === 'number') ? [ci95[0], ci95[1]] : null;
}

export interface FoldVerdict {
  key: string;
  /** Mean of the per-fold differences b − a. */
  difference: number;
  ci95: [number, number] | null;
  verdict: Verdict;
}

/**
 * Paired verdicts, b − a, on `metrics` (default the key metrics) for two runs evaluated on the same
 * folds (metrics.json's `folds`: one entry per fold, with its `actors` and its split metrics): the
 * per-fold differences' t-interval (pairedTInterval) and verdict(). Empty when either run has no
 * folds or their folds differ, where no paired verdict exists.
 */
export function foldVerdicts(a: RunRecord, b: RunRecord, metrics: readonly string[] = KEY_METRICS): FoldVerdict[] {
  const folds = (r: RunRecord) => {
    const f = at(r.metrics, 'folds');
    return Array.isArray(f) ? f : [];
  };
  const [fa, fb] = [folds(a), folds(b)];
  if (fa.length === 0 || fa.length !== fb.length || fa.some((f, i) => !same(at(f, 'actors'), at(fb[i], 'actors')))) return [];
  return metrics.flatMap((key) => {
    const [va, vb] = [fa.map((f) => at(f, key)), fb.map((f) => at(f, key))];
    if (![...va, ...vb].every((v) => typeof v === 'number')) return [];
    const d = pairedTInterval(va as number[], vb as number[]);
    return [{ key, difference: d.mean, ci95: d.ci95, verdict: verdict(d.mean, d.ci95, { nameA: a.id, nameB: b.id }) }];
  });
}
