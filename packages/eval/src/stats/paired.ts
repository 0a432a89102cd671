/**
 * Paired comparison of two runs over matched folds or seeds.
 */
import { finiteValues, summarize, type MetricSummary } from './summary.ts';

/** Summary of the paired differences d_i = b_i − a_i (mean, std, n, ci95 as in `summarize`). */
export interface PairedDifference extends MetricSummary {
  /** d_i = b_i − a_i, in input order. */
  differences: number[];
}

/**
 * Paired Student-t interval for the mean difference of two runs over matched folds or seeds.
 *
 * Parameters
 * ----------
 * a, b : ArrayLike<number>
 *     The metric of run A and of run B, one value per fold or seed; index i of both must be the
 *     same fold (same recordings) or the same seed, so the arrays have equal length.
 *
 * Returns
 * -------
 * { differences, n, mean, std, ci95 } of d_i = b_i − a_i: positive means B is higher. ci95 is
 * mean(d) ± t_{0.975, n−1} · std(d) / √n (scipy.stats.ttest_rel(b, a).confidence_interval()),
 * null when n = 1.
 *
 * Notes
 * -----
 * Pairing removes the fold-to-fold (or seed-to-seed) variation that A and B share, such as an
 * easy or a hard fold, which is usually most of the spread: the paired interval is much narrower
 * than the unpaired (Welch) one on the same numbers. Use `welchInterval` only when the folds or
 * seeds do not match.
 *
 * References
 * ----------
 * "Student", Biometrika 6 (1908) 1–25; T. G. Dietterich, "Approximate statistical tests for
 * comparing supervised classification learning algorithms", Neural Computation 10 (1998) 1895–1923.
 */
export function pairedTInterval(a: ArrayLike<number>, b: ArrayLike<number>): PairedDifference {
  if (a.length !== b.length) throw new Error(`paired comparison needs matched runs: A has ${a.length} values, B has ${b.length}`);
  const as = finiteValues(a, 'a');
  const bs = finiteValues(b, 'b');
  const differences = bs.map((x, i) => x - as[i]);
  return { differences, ...summarize(differences) };
}
