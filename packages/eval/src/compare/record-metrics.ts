/** Reading a run record's metrics: the figures, their intervals, and the per-fold values behind them. */
import type { RunRecord } from '@ser/core';
import { pointOf, type Interval } from '../intervals.ts';
import type { EvalMetrics } from '../metrics.ts';

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A value at a dotted path, or undefined. */
export function at(value: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, k) => (isPlainObject(v) ? v[k] : undefined), value);
}

const metricsOf = (record: RunRecord) => record.metrics as Partial<EvalMetrics> | null;

/** The interval metrics.json gives a figure (`test.macroF1`, …), if any. */
export const intervalOf = (record: RunRecord, path: string): Interval | undefined => metricsOf(record)?.summary?.[path];

/**
 * A run's figure at `path`: the point of its interval where there is one (the holdout value, or
 * the mean over folds for cross-validation), else the number at that path of metrics.json.
 */
export function metricOf(record: RunRecord, path: string): number | null {
  const interval = intervalOf(record, path);
  if (interval) return pointOf(interval);
  const v = at(record.metrics, path);
  return typeof v === 'number' ? v : null;
}

/** A cross-validation run's value of `path` in each fold (`test.macroF1` → folds[k].test.macroF1), or null. */
export function foldValuesOf(record: RunRecord, path: string): number[] | null {
  const folds = metricsOf(record)?.folds;
  if (!folds?.length) return null;
  const values = folds.map((f) => at(f, path));
  return values.every((v): v is number => typeof v === 'number') ? values : null;
}

/** The speakers each fold tests: two runs with the same list were scored on the same folds. */
export const foldSpeakersOf = (record: RunRecord) => metricsOf(record)?.folds?.map((f) => f.actors.test) ?? null;
