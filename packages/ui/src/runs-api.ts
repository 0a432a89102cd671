/**
 * The JSON the pages read, built from the run records by @ser/eval's comparison functions (the
 * same rows, params and metric deltas as `ser exp show` and `ser exp diff`), so the UI and the
 * terminal never disagree.
 */
import { readFileSync } from 'node:fs';
import { flatten, readRunPredictions, type RunRecord } from '@ser/core';
import { KEY_METRICS, differingParams, expDiff, expShow, intervalOf, type ExpShowOptions, type MetricDiff } from '@ser/eval';
import { runFile } from './run-files.ts';

export interface Column {
  name: string;
  kind: 'text' | 'param' | 'metric';
}

export interface RunsTable {
  columns: Column[];
  /** One row per run (or group of runs), as `ser exp show --json` prints them. */
  rows: Record<string, unknown>[];
  /** 95% intervals by row id (a run, or the first run of a group of seed repeats) and metric, where there are any. */
  intervals: Record<string, Record<string, [number, number]>>;
  /** Params that differ between all runs, with their values: what the table can be filtered by. */
  filters: { key: string; values: unknown[] }[];
  total: number;
}

export interface RunsQuery extends Pick<ExpShowOptions, 'sortBy' | 'ascending' | 'allParams' | 'group'> {
  /** Only runs whose flattened param `key` equals `value`. */
  filter?: { key: string; value: unknown };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const distinct = (values: unknown[]) => [...new Map(values.map((v) => [JSON.stringify(v), v])).values()];

/** The runs table: `ser exp show` over the runs that pass the filter. */
export function runsTable(records: readonly RunRecord[], query: RunsQuery = {}): RunsTable {
  const { filter, ...show } = query;
  const shown = filter ? records.filter((r) => same(flatten(r.params)[filter.key], filter.value)) : [...records];
  const rows = JSON.parse(expShow(shown, { ...show, format: 'json' })) as Record<string, unknown>[];
  const params = new Set(differingParams(shown, show.allParams));
  // A metric's interval, spread and count are fields beside it (`test.macroF1.ci95`), not columns of their own.
  const isBesideMetric = (name: string) => /\.(ci95|std|n)$/.test(name) && rows.some((r) => name.replace(/\.(ci95|std|n)$/, '') in r);
  const names = rows.length ? Object.keys(rows[0]).filter((n) => !isBesideMetric(n)) : ['id', 'created', ...KEY_METRICS];
  const columns = names.map((name): Column => ({
    name,
    kind: name === 'id' || name === 'created' ? 'text' : params.has(name) || name === 'runs' ? 'param' : 'metric',
  }));
  const metrics = columns.filter((c) => c.kind === 'metric').map((c) => c.name);
  const intervals = Object.fromEntries(
    rows.map((r) => [
      String(r.id),
      Object.fromEntries(metrics.flatMap((m) => (Array.isArray(r[`${m}.ci95`]) ? [[m, r[`${m}.ci95`] as [number, number]]] : []))),
    ]),
  );
  const flat = records.map((r) => flatten(r.params));
  const filters = differingParams(records).map((key) => ({ key, values: distinct(flat.map((f) => f[key])) }));
  return { columns, rows, intervals, filters, total: records.length };
}

/** The metrics' 95% intervals that `record` has. */
function intervalsOf(record: RunRecord, metrics: readonly string[]): Record<string, [number, number]> {
  return Object.fromEntries(
    metrics.flatMap((m) => {
      const ci = intervalOf(record, m)?.ci95;
      return ci ? [[m, ci]] : [];
    }),
  );
}

/**
 * A run's training histories (history.json of its `train` task, or of each fold's, `train.fold1` …),
 * each with its task; none when the run kept none. Through runFile: a record's id and tasks are data too.
 */
function historiesOf(runsRoot: string, record: RunRecord): { task: string; history: unknown }[] {
  const tasks = Object.keys(record.kept ?? {}).filter((t) => /^train(\.fold\d+)?$/.test(t));
  return (tasks.length ? tasks : ['train']).flatMap((task) => {
    const file = runFile(runsRoot, `${encodeURIComponent(record.id)}/${encodeURIComponent(task)}/history.json`);
    return file ? [{ task, history: JSON.parse(readFileSync(file, 'utf8')) as unknown }] : [];
  });
}

export interface RunDetail {
  record: RunRecord;
  /** The learning curves of its training task, or of each fold's. */
  histories: { task: string; history: unknown }[];
  /** Flattened `stage.key` params. */
  params: [string, unknown][];
  /** 95% intervals of the val and test metrics (`test.macroF1`, …) where the record has them. */
  intervals: Record<string, [number, number]>;
}

export function runDetail(runsRoot: string, record: RunRecord): RunDetail {
  const metrics = Object.keys(flatten(record.metrics ?? {})).filter((k) => /^(val|test)\./.test(k));
  return { record, histories: historiesOf(runsRoot, record), params: Object.entries(flatten(record.params)), intervals: intervalsOf(record, metrics) };
}

export interface Comparison {
  records: RunRecord[];
  /** Params that differ between the runs, with each run's value. */
  params: { key: string; values: unknown[] }[];
  /** `ser exp diff` from the first run to each other run. */
  diffs: ReturnType<typeof expDiff>[];
  /** Verdicts from the first run to each other run (`ser exp diff`'s: paired over folds or recordings), where the runs allow one. */
  verdicts: (Required<Pick<MetricDiff, 'key' | 'ci95' | 'verdict'>> & { difference: number | null })[][];
  /** Each run's 95% intervals of the compared metrics, where it has them. */
  intervals: Record<string, [number, number]>[];
  /** The metrics shown first (`ser exp show`'s key metrics). */
  keyMetrics: readonly string[];
  /** Each run's training histories: its `train` task's, or every fold's. */
  histories: { task: string; history: unknown }[][];
}

/** Two or more runs side by side; the first is the baseline of every delta. */
export function comparison(runsRoot: string, records: RunRecord[]): Comparison {
  const [base, ...others] = records;
  const single = (r: RunRecord) => ({ runs: [r], seeds: {} });
  const diffs = others.map((r) => expDiff(single(base), single(r), { predictions: (run) => readRunPredictions(runsRoot, run) }));
  const metrics = [...new Set(diffs.flatMap((d) => d.metrics.map((m) => m.key)))];
  return {
    records,
    params: differingParams(records).map((key) => ({ key, values: records.map((r) => flatten(r.params)[key] ?? null) })),
    diffs,
    verdicts: diffs.map((d) => d.metrics.flatMap((m) => (m.verdict ? [{ key: m.key, difference: m.delta, ci95: m.ci95 ?? null, verdict: m.verdict }] : []))),
    intervals: records.map((r) => intervalsOf(r, metrics)),
    keyMetrics: KEY_METRICS,
    histories: records.map((r) => historiesOf(runsRoot, r)),
  };
}
