/**
 * Mean, spread and confidence interval of one metric over repeated runs (cross-validation folds
 * or training seeds).
 */
import { studentTInterval } from './student-t.ts';

/** One metric summarized over n folds or seeds. */
export interface MetricSummary {
  /** Number of values (folds or seeds). */
  n: number;
  mean: number;
  /** Sample standard deviation (ddof = 1); null when n = 1, where it is undefined. */
  std: number | null;
  /** Two-sided 95% Student-t interval for the mean; null when n = 1. */
  ci95: [number, number] | null;
}

/** The values as numbers, after checking there is at least one and none is NaN or infinite. */
export function finiteValues(values: ArrayLike<number>, what = 'values'): number[] {
  if (values.length === 0) throw new Error(`no ${what} to summarize`);
  const out = Array.from(values);
  out.forEach((x, i) => {
    if (!Number.isFinite(x)) throw new Error(`${what}[${i}] = ${x} is not a finite number`);
  });
  return out;
}

/** Arithmetic mean (NaN for no values). */
export const mean = (values: readonly number[]): number => values.reduce((s, x) => s + x, 0) / values.length;

/** Arithmetic mean and sample variance (ddof = 1; NaN for one value), two-pass for accuracy. */
export function meanAndVariance(values: readonly number[]): { mean: number; variance: number } {
  const m = mean(values);
  const squares = values.reduce((s, x) => s + (x - m) ** 2, 0);
  return { mean: m, variance: squares / (values.length - 1) };
}

/**
 * Summarize one metric over n cross-validation folds or training seeds.
 *
 * Parameters
 * ----------
 * values : ArrayLike<number>
 *     One value of the metric per fold or seed (n ≥ 1, all finite).
 *
 * Returns
 * -------
 * { n, mean, std, ci95 }, where std is the sample standard deviation s (ddof = 1,
 * numpy.std(values, ddof=1)) and ci95 the two-sided Student-t interval
 * mean ± t_{0.975, n−1} · s / √n (scipy.stats.t.interval(0.95, n − 1, loc=mean, scale=s/√n)).
 * With n = 1 there is no spread to estimate: std and ci95 are null (not NaN), and the mean is
 * the single value.
 *
 * Notes
 * -----
 * The interval treats the n values as independent draws of the run-to-run variation, which holds
 * for seeds and approximately for folds (folds share training data, so the interval is somewhat
 * optimistic; Bengio & Grandvalet 2004). With few values it is wide on purpose: t_{0.975, 2} = 4.30.
 *
 * References
 * ----------
 * "Student", Biometrika 6 (1908) 1–25; Y. Bengio and Y. Grandvalet, "No unbiased estimator of the
 * variance of K-fold cross-validation", JMLR 5 (2004) 1089–1105.
 */
export function summarize(values: ArrayLike<number>): MetricSummary {
  const xs = finiteValues(values);
  const n = xs.length;
  const { mean, variance } = meanAndVariance(xs);
  if (n === 1) return { n, mean, std: null, ci95: null };
  const std = Math.sqrt(variance);
  return { n, mean, std, ci95: studentTInterval(mean, std / Math.sqrt(n), n - 1) };
}
