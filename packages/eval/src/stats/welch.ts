/**
 * Welch's unpaired two-sample t interval, for runs whose folds or seeds do not match.
 */
import { studentTInterval } from './student-t.ts';
import { finiteValues, meanAndVariance } from './summary.ts';

/** Difference of two means with its Welch interval. */
export interface WelchInterval {
  /** mean(b) − mean(a): positive means B is higher. */
  difference: number;
  /** √(s_a²/n_a + s_b²/n_b); null when either run has a single value. */
  standardError: number | null;
  /** Welch–Satterthwaite degrees of freedom (not an integer in general); null when undefined. */
  df: number | null;
  /** Two-sided 95% interval for the difference; null when either run has a single value. */
  ci95: [number, number] | null;
}

/**
 * Welch's two-sample t interval for mean(b) − mean(a), without assuming equal variances.
 *
 * Parameters
 * ----------
 * a, b : ArrayLike<number>
 *     The metric of run A and of run B over their own folds or seeds; the lengths may differ.
 *
 * Returns
 * -------
 * { difference, standardError, df, ci95 } with se = √(s_a²/n_a + s_b²/n_b) (ddof = 1),
 * Welch–Satterthwaite df = se⁴ / [(s_a²/n_a)²/(n_a − 1) + (s_b²/n_b)²/(n_b − 1)] and
 * ci95 = difference ± t_{0.975, df} · se
 * (scipy.stats.ttest_ind(b, a, equal_var=False).confidence_interval()).
 * When either run has a single value, standardError, df and ci95 are null. When both runs are
 * constant, se = 0, df is undefined (0/0, null) and ci95 is the point [difference, difference].
 *
 * References
 * ----------
 * B. L. Welch, "The generalization of 'Student's' problem when several different population
 * variances are involved", Biometrika 34 (1947) 28–35; F. E. Satterthwaite, "An approximate
 * distribution of estimates of variance components", Biometrics Bulletin 2 (1946) 110–114.
 */
export function welchInterval(a: ArrayLike<number>, b: ArrayLike<number>): WelchInterval {
  const as = finiteValues(a, 'a');
  const bs = finiteValues(b, 'b');
  const runA = meanAndVariance(as);
  const runB = meanAndVariance(bs);
  const difference = runB.mean - runA.mean;
  if (as.length < 2 || bs.length < 2) return { difference, standardError: null, df: null, ci95: null };
  const shareA = runA.variance / as.length;
  const shareB = runB.variance / bs.length;
  const standardError = Math.sqrt(shareA + shareB);
  if (standardError === 0) return { difference, standardError, df: null, ci95: [difference, difference] };
  const df = (shareA + shareB) ** 2 / (shareA ** 2 / (as.length - 1) + shareB ** 2 / (bs.length - 1));
  return { difference, standardError, df, ci95: studentTInterval(difference, standardError, df) };
}
