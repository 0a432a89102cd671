/**
 * The interval beside every figure of metrics.json (`summary`), keyed by the figure's path:
 * `test.macroF1`, `test.accuracy`, `test.balancedAccuracy`, `test.weightedF1`,
 * `test.byGender.<gender>.macroF1`, the same under `val`.
 * - One holdout split: the value on its recordings with a seeded percentile bootstrap 95% interval
 *   over those recordings (stats/bootstrap.ts; 2000 resamples, seed 0).
 * - Cross-validation: the mean over folds with a Student-t 95% interval (stats/summary.ts), n = folds.
 */
import { classificationReport, confusionMatrix, type ClassificationReport, type SplitMetrics } from './metrics.ts';
import type { EvaluatedSplit } from './outputs.ts';
import { bootstrapMetricInterval, DEFAULT_RESAMPLES, type LabelMetric } from './stats/bootstrap.ts';
import { summarize, type MetricSummary } from './stats/summary.ts';

/** A holdout figure: its value on the split and a bootstrap interval over the split's recordings. */
export interface BootstrapFigure {
  method: 'bootstrap';
  value: number;
  ci95: [number, number] | null;
  /** Recordings resampled. */
  n: number;
  resamples: number;
  seed: number;
}

/** A cross-validation figure: mean over folds, sample std and a Student-t interval (n = folds). */
export interface FoldFigure extends MetricSummary {
  method: 't';
}

export type Interval = BootstrapFigure | FoldFigure;

/** The point value of a figure: the holdout value or the mean over folds. */
export const pointOf = (i: Interval) => (i.method === 'bootstrap' ? i.value : i.mean);

/** Per-split report figures that get an interval, as functions of (labels, predictions). */
export const REPORT_FIGURES: Record<string, (r: ClassificationReport) => number> = {
  macroF1: (r) => r.macroF1,
  accuracy: (r) => r.accuracy,
  balancedAccuracy: (r) => r.balancedAccuracy,
  weightedF1: (r) => r.weightedF1,
};

/** A report figure as a bootstrap metric of (labels, predictions). */
export const asMetric =
  (figure: (r: ClassificationReport) => number, classes: readonly string[]): LabelMetric =>
  (yTrue, yPred, numClasses) =>
    figure(classificationReport(confusionMatrix(yTrue, yPred, numClasses), classes));

/** One evaluated split's recordings: labels, predictions and speaker genders, aligned. */
export interface ScoredSplit {
  labels: Int32Array;
  predicted: Int32Array;
  genders: readonly string[];
}

/** Bootstrap intervals of every figure of the holdout splits (`seed` and `resamples` as in stats/bootstrap.ts). */
export function bootstrapFigures(
  splits: Partial<Record<EvaluatedSplit, ScoredSplit>>,
  classes: readonly string[],
  { resamples = DEFAULT_RESAMPLES, seed = 0 }: { resamples?: number; seed?: number } = {},
): Record<string, BootstrapFigure> {
  const out: Record<string, BootstrapFigure> = {};
  const add = (path: string, s: ScoredSplit, figure: (r: ClassificationReport) => number) => {
    const b = bootstrapMetricInterval(s.labels, s.predicted, classes.length, { metric: asMetric(figure, classes), resamples, seed });
    out[path] = { method: 'bootstrap', value: b.value, ci95: b.ci95, n: s.labels.length, resamples, seed };
  };
  for (const [split, s] of Object.entries(splits) as [EvaluatedSplit, ScoredSplit][]) {
    for (const [name, figure] of Object.entries(REPORT_FIGURES)) add(`${split}.${name}`, s, figure);
    for (const gender of [...new Set(s.genders)].filter(Boolean).sort()) {
      const keep = s.genders.flatMap((g, i) => (g === gender ? [i] : []));
      const subset = { labels: Int32Array.from(keep, (i) => s.labels[i]), predicted: Int32Array.from(keep, (i) => s.predicted[i]), genders: [] };
      add(`${split}.byGender.${gender}.macroF1`, subset, REPORT_FIGURES.macroF1);
    }
  }
  return out;
}

/** Student-t intervals over folds of every figure the folds' splits report (a figure missing in some fold uses the folds that have it). */
export function foldFigures(folds: readonly Partial<Record<EvaluatedSplit, SplitMetrics | null>>[]): Record<string, FoldFigure> {
  const values = new Map<string, number[]>();
  const add = (path: string, v: number) => values.set(path, [...(values.get(path) ?? []), v]);
  for (const fold of folds)
    for (const split of ['val', 'test'] as const) {
      const m = fold[split];
      if (!m) continue;
      for (const [name, figure] of Object.entries(REPORT_FIGURES)) add(`${split}.${name}`, figure(m));
      for (const [gender, g] of Object.entries(m.byGender)) add(`${split}.byGender.${gender}.macroF1`, g.macroF1);
    }
  return Object.fromEntries([...values].map(([path, v]) => [path, { method: 't' as const, ...summarize(v) }]));
}

/** `0.719 [0.640, 0.792]` (or `0.562 ± 0.041 [0.511, 0.613], 5 folds`): a figure with its interval. */
export function formatInterval(i: Interval, digits = 3): string {
  const ci = i.ci95 ? ` [${i.ci95[0].toFixed(digits)}, ${i.ci95[1].toFixed(digits)}]` : '';
  if (i.method === 'bootstrap') return `${i.value.toFixed(digits)}${ci}`;
  return `${i.mean.toFixed(digits)}${i.std === null ? '' : ` ± ${i.std.toFixed(digits)}`}${ci}, ${i.n} fold${i.n === 1 ? '' : 's'}`;
}
