/**
 * One-sentence verdict on a difference between two runs, from the difference and its interval.
 */

/** Which way the difference B − A goes, as far as the interval can tell. */
export type Direction = 'higher' | 'lower' | 'none';

export interface Verdict {
  /** 'higher' / 'lower' when the interval excludes 0 and |difference| ≥ atol; 'none' otherwise. */
  direction: Direction;
  /** |difference| < atol: reported as within tolerance, whatever the interval. */
  withinTolerance: boolean;
  /** E.g. `B higher by 0.034 [0.012, 0.056]`. */
  sentence: string;
}

export interface VerdictOptions {
  /** Absolute tolerance: a difference whose magnitude is below it is within tolerance; default 0. */
  atol?: number;
  /** Name of run A in the sentence; default 'A'. */
  nameA?: string;
  /** Name of run B in the sentence; default 'B'. */
  nameB?: string;
  /** Decimals printed; default 3. */
  digits?: number;
}

/**
 * Verdict on a difference B − A with its confidence interval.
 *
 * Parameters
 * ----------
 * difference : number
 *     Estimated B − A (a mean paired difference, a Welch difference or a paired-bootstrap value).
 * ci95 : [number, number] | null
 *     Its interval; null when none could be computed (a single fold or seed).
 * options.atol : number, default 0
 *     Absolute tolerance (`exp diff --atol`): |difference| < atol is reported as within tolerance.
 * options.nameA, options.nameB : string, default 'A', 'B'
 *     How the runs are named in the sentence.
 * options.digits : number, default 3
 *     Decimals of every printed number.
 *
 * Returns
 * -------
 * { direction, withinTolerance, sentence }, checked in this order:
 * - |difference| < atol: 'none', `within tolerance: B − A = 0.004 [-0.002, 0.010], |Δ| < atol 0.01`;
 * - no interval: 'none', `no difference detectable (no interval from one value; B − A = 0.034)`;
 * - interval above 0: 'higher', `B higher by 0.034 [0.012, 0.056]`;
 * - interval below 0: 'lower', `B lower by 0.020 [-0.041, -0.002]` (the interval stays signed, B − A);
 * - interval covering 0 (endpoints included): 'none', `no difference detectable (interval [-0.013, 0.027] covers 0)`.
 *
 * Notes
 * -----
 * A 95% interval that excludes 0 is the same decision as a two-sided test at the 5% level
 * (confidence-interval / test duality); the sentence gives the size, not a p-value. An interval
 * that covers 0 does not show the runs are equal, only that this comparison cannot tell them
 * apart; `atol` is how a caller says which differences do not matter.
 *
 * References
 * ----------
 * E. L. Lehmann and J. P. Romano, Testing Statistical Hypotheses, 3rd ed. (2005), §3.5 (duality
 * of confidence sets and tests).
 */
export function verdict(
  difference: number,
  ci95: readonly [number, number] | null,
  { atol = 0, nameA = 'A', nameB = 'B', digits = 3 }: VerdictOptions = {},
): Verdict {
  if (!Number.isFinite(difference)) throw new Error(`difference must be a finite number, got ${difference}`);
  if (!(atol >= 0)) throw new Error(`atol must be ≥ 0, got ${atol}`);
  if (ci95 !== null && !(ci95[0] <= ci95[1])) throw new Error(`interval [${ci95[0]}, ${ci95[1]}] is not ordered`);
  const format = (x: number) => x.toFixed(digits);
  const interval = ci95 === null ? '' : ` [${format(ci95[0])}, ${format(ci95[1])}]`;
  const none = (sentence: string, withinTolerance = false): Verdict => ({ direction: 'none', withinTolerance, sentence });

  if (Math.abs(difference) < atol) return none(`within tolerance: ${nameB} − ${nameA} = ${format(difference)}${interval}, |Δ| < atol ${atol}`, true);
  if (ci95 === null) return none(`no difference detectable (no interval from one value; ${nameB} − ${nameA} = ${format(difference)})`);
  if (ci95[0] > 0) return { direction: 'higher', withinTolerance: false, sentence: `${nameB} higher by ${format(difference)}${interval}` };
  if (ci95[1] < 0) return { direction: 'lower', withinTolerance: false, sentence: `${nameB} lower by ${format(-difference)}${interval}` };
  return none(`no difference detectable (interval${interval} covers 0)`);
}
