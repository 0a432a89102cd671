/**
 * `ser exp show`: one row per configuration (runs that differ only in seeds form one row: mean ±
 * std over them, n) or per run with `group: false`; the params that differ, and the key metrics
 * with their interval (bootstrap for a holdout run, Student-t over folds for cross-validation,
 * Student-t over seeds for a group). In the spirit of `dvc exp show` and MLflow's runs table.
 */
import { flatten, type RunRecord } from '@ser/core';
import { summarize } from '../stats/summary.ts';
import { csvCell, decimals, display, textTable, type CellKind, type TableFormat } from './format.ts';
import { groupRuns, type RunGroup } from './groups.ts';
import { intervalOf, metricOf } from './record-metrics.ts';

/** Shown by default; paths into metrics.json. */
export const KEY_METRICS = ['test.macroF1', 'test.accuracy', 'test.balancedAccuracy', 'val.macroF1'] as const;

export interface ExpShowOptions {
  /** Column to sort by (a metric such as `test.macroF1`, a param such as `train.learningRate`, `id` or `created`). */
  sortBy?: string;
  /** Default: descending for metrics (higher is better), ascending otherwise. */
  ascending?: boolean;
  /** Show every param, not only those that differ between the runs. */
  allParams?: boolean;
  /** More metric columns (paths into metrics.json, e.g. `test.byGender.female.macroF1`). */
  metrics?: string[];
  /** One row per group of runs that differ only in seeds (default), or one per run. */
  group?: boolean;
  format?: TableFormat;
}

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

/** A metric cell: its point (what sorts), and what prints beside it. */
interface MetricCell {
  point: number | null;
  /** Holdout or fold interval of a single run, or the Student-t interval over a group's runs. */
  ci95?: [number, number] | null;
  std?: number | null;
  n?: number;
}

function metricCell(group: RunGroup, path: string): MetricCell {
  if (group.runs.length === 1) {
    const [run] = group.runs;
    return { point: metricOf(run, path), ci95: intervalOf(run, path)?.ci95 };
  }
  const points = group.runs.map((r) => metricOf(r, path)).filter((v): v is number => v !== null);
  if (points.length === 0) return { point: null };
  const s = summarize(points);
  return { point: s.mean, ci95: s.ci95, std: s.std, n: s.n };
}

interface Column {
  name: string;
  kind: CellKind;
  get(g: RunGroup): unknown;
}

/** A param of a group: its value, or the distinct values its runs took (the seeds). */
function paramOf(group: RunGroup, key: string): unknown {
  const values = [...new Map(group.runs.map((r) => [JSON.stringify(flatten(r.params)[key]), flatten(r.params)[key]])).values()];
  return values.length === 1 ? values[0] : values;
}

function columns(records: readonly RunRecord[], groups: readonly RunGroup[], allParams: boolean, extraMetrics: readonly string[] = []): Column[] {
  const metrics = [...new Set([...KEY_METRICS, ...extraMetrics])];
  const repeated = groups.some((g) => g.runs.length > 1);
  return [
    { name: 'id', kind: 'text', get: (g) => g.runs[0].id },
    { name: 'created', kind: 'text', get: (g) => g.runs.at(-1)!.createdAt },
    ...(repeated ? [{ name: 'runs', kind: 'param' as const, get: (g: RunGroup) => g.runs.length }] : []),
    ...differingParams(records, allParams).map((key): Column => ({ name: key, kind: 'param', get: (g) => paramOf(g, key) })),
    ...metrics.map((path): Column => ({ name: path, kind: 'metric', get: (g) => metricCell(g, path) })),
  ];
}

const isCell = (v: unknown): v is MetricCell => typeof v === 'object' && v !== null && 'point' in v;
const sortValue = (v: unknown) => (isCell(v) ? v.point : v);

/** Sort key: missing values last in either direction. */
function compareValues(a: unknown, b: unknown, ascending: boolean): number {
  const missing = (v: unknown) => v === undefined || v === null;
  if (missing(a) || missing(b)) return Number(missing(a)) - Number(missing(b));
  const order = typeof a === 'number' && typeof b === 'number' ? a - b : String(JSON.stringify(a)).localeCompare(String(JSON.stringify(b)));
  return ascending ? order : -order;
}

/** `0.7190 [0.6400, 0.7920]` for a run, `0.7190 ± 0.0100 [0.6942, 0.7438] (n=3)` for a group. */
function showCell(cell: MetricCell, digits: number): string {
  if (cell.point === null) return '-';
  const f = (x: number) => x.toFixed(digits);
  const ci = cell.ci95 ? ` [${f(cell.ci95[0])}, ${f(cell.ci95[1])}]` : '';
  return cell.n === undefined
    ? `${f(cell.point)}${ci}`
    : `${f(cell.point)}${cell.std === null || cell.std === undefined ? '' : ` ± ${f(cell.std)}`}${ci} (n=${cell.n})`;
}

/** JSON/CSV fields of a metric cell: `<path>` (the point), and `<path>.ci95`, `.std`, `.n` where they exist. */
function cellFields(name: string, cell: MetricCell): [string, unknown][] {
  return [
    [name, cell.point],
    ...(cell.ci95 !== undefined ? [[`${name}.ci95`, cell.ci95] as [string, unknown]] : []),
    ...(cell.n !== undefined ? [[`${name}.std`, cell.std ?? null] as [string, unknown], [`${name}.n`, cell.n] as [string, unknown]] : []),
  ];
}

export function expShow(records: readonly RunRecord[], options: ExpShowOptions = {}): string {
  const { sortBy, allParams = false, format = 'table', group = true } = options;
  const groups = groupRuns(records, group);
  const extra = [...(options.metrics ?? [])];
  // Sorting by a metric that is not shown adds its column.
  if (sortBy !== undefined && records.some((r) => metricOf(r, sortBy) !== null)) extra.push(sortBy);
  const cols = columns(records, groups, allParams, extra);
  const rows = [...groups];
  if (sortBy !== undefined) {
    const all = columns(records, groups, true, extra);
    const col = cols.find((c) => c.name === sortBy) ?? all.find((c) => c.name === sortBy);
    if (!col) throw new Error(`cannot sort by '${sortBy}': not a param or a metric of any run (columns: ${all.map((c) => c.name).join(', ')})`);
    const ascending = options.ascending ?? col.kind !== 'metric';
    rows.sort((a, b) => compareValues(sortValue(col.get(a)), sortValue(col.get(b)), ascending));
  }
  const fields = (g: RunGroup): [string, unknown][] =>
    cols.flatMap((c) => {
      const v = c.get(g);
      return isCell(v) ? cellFields(c.name, v) : [[c.name, v ?? null] as [string, unknown]];
    });
  if (format === 'json')
    return JSON.stringify(
      rows.map((g) => Object.fromEntries(fields(g))),
      null,
      2,
    );
  if (format === 'csv') {
    const values = rows.map((g) => new Map(fields(g)));
    // Every field any row has (an interval column exists when some run has an interval), column by column.
    const header = cols.flatMap((c) => [c.name, ...['ci95', 'std', 'n'].map((x) => `${c.name}.${x}`).filter((f) => values.some((v) => v.has(f)))]);
    return [header.map(csvCell), ...values.map((v) => header.map((h) => csvCell(v.get(h))))].map((l) => l.join(',')).join('\n');
  }
  if (rows.length === 0) return 'no recorded runs';
  return textTable(
    cols.map((c) => c.name),
    rows.map((g) => cols.map((c) => (c.kind === 'metric' ? showCell(c.get(g) as MetricCell, decimals(c.name)) : display(c.get(g), c.kind, decimals(c.name))))),
    cols.map((c) => c.kind === 'metric'),
  );
}
