/**
 * Student's t distribution: CDF, quantile (inverse CDF) and the t confidence interval built on it.
 */
import { logBeta, regularizedIncompleteBeta } from './special-functions.ts';

function checkDegreesOfFreedom(df: number): void {
  if (!(df > 0) || !Number.isFinite(df)) throw new Error(`degrees of freedom must be a positive finite number, got ${df}`);
}

/** P(0 < T < t) for t ≥ 0 = ½ I_{t²/(ν+t²)}(½, ν/2); precise where the result is small (t near 0). */
function centralMass(t: number, df: number): number {
  return 0.5 * regularizedIncompleteBeta(1 / (1 + df / (t * t)), 0.5, df / 2);
}

/** P(T > t) for t ≥ 0 = ½ I_{ν/(ν+t²)}(ν/2, ½); precise where the result is small (far tail). */
function upperTail(t: number, df: number): number {
  return 0.5 * regularizedIncompleteBeta(1 / (1 + (t * t) / df), df / 2, 0.5);
}

/** Density of Student's t: (1 + t²/ν)^{−(ν+1)/2} / (√ν B(ν/2, ½)). */
function density(t: number, df: number): number {
  return Math.exp(-logBeta(df / 2, 0.5) - 0.5 * Math.log(df) - ((df + 1) / 2) * Math.log1p((t * t) / df));
}

/**
 * Cumulative distribution function of Student's t distribution, P(T ≤ t).
 *
 * Parameters
 * ----------
 * t : number
 *     Point at which to evaluate.
 * df : number > 0
 *     Degrees of freedom ν; need not be an integer.
 *
 * Returns
 * -------
 * P(T ≤ t), as scipy.stats.t.cdf(t, df).
 *
 * Notes
 * -----
 * P(T > |t|) = ½ I_{ν/(ν+t²)}(ν/2, ½) (Abramowitz & Stegun 26.7.1 with 26.5.27); for |t| < 1 the
 * complementary form ½ − ½ I_{t²/(ν+t²)}(½, ν/2) is used, so that neither argument is computed
 * as 1 − (a number close to 1). Lower-tail values keep their relative precision down to underflow.
 *
 * References
 * ----------
 * M. Abramowitz and I. A. Stegun, Handbook of Mathematical Functions (1964), §26.7;
 * Press et al., Numerical Recipes, 3rd ed. (2007), §6.14.
 */
export function studentTCdf(t: number, df: number): number {
  checkDegreesOfFreedom(df);
  if (Number.isNaN(t)) throw new Error('studentTCdf got t = NaN');
  const magnitude = Math.abs(t);
  // Below |t| = 1 the tail is ≥ ¼ for every ν, so ½ − (central mass) loses nothing; beyond it the
  // tail is computed directly, keeping its relative precision far out (t.cdf(−30, 1000) ≈ 8e-142).
  const tail = magnitude < 1 ? 0.5 - centralMass(magnitude, df) : upperTail(magnitude, df);
  return t < 0 ? tail : 1 - tail;
}

/**
 * Enough for the slowest case, the doubling phase of ν = 1 from t = 0 out to the largest double
 * (Newton's step roughly doubles t while far below a heavy-tailed root); the usual count is < 15.
 */
const MAX_NEWTON_STEPS = 1100;

/**
 * Quantile function (inverse CDF) of Student's t distribution: the t with P(T ≤ t) = p.
 *
 * Parameters
 * ----------
 * p : number in [0, 1]
 *     Probability; 0 and 1 give −Infinity and +Infinity.
 * df : number > 0
 *     Degrees of freedom ν; need not be an integer.
 *
 * Returns
 * -------
 * t_{p, ν}, as scipy.stats.t.ppf(p, df); relative error below 1e-10 for ν in [0.5, 1000]
 * (checked against SciPy in the tests).
 *
 * Notes
 * -----
 * Solves F(t) = p for t ≥ 0 on the symmetric problem (probability mass |p − ½| between 0 and t)
 * by Newton's method started at t = 0. The mass between 0 and t is increasing and concave on
 * t ≥ 0 (its derivative, the density, decreases), so every Newton step lands left of the root
 * and the iterates increase monotonically to it: no bracketing or damping is needed, even for
 * ν = 1 with its Cauchy tails. The mass is computed from the central form when p is within
 * ¼ of ½ and from the tail form otherwise, so the equation is always solved between numbers of
 * the size of the target probability, without cancellation.
 *
 * References
 * ----------
 * Press et al., Numerical Recipes, 3rd ed. (2007), §6.14 (t from the incomplete beta) and §9.4
 * (Newton–Raphson); Abramowitz & Stegun (1964) 26.7.1.
 */
export function studentTQuantile(p: number, df: number): number {
  checkDegreesOfFreedom(df);
  if (!(p >= 0 && p <= 1)) throw new Error(`probability must be in [0, 1], got ${p}`);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  // Exact where used: p − ½ for p in [¼, ¾], and 1 − p for p ≥ ½ (Sterbenz lemma).
  const massFromCentre = Math.abs(p - 0.5);
  const tailMass = p < 0.5 ? p : 1 - p;
  if (massFromCentre === 0) return 0;
  const shortfall = massFromCentre <= 0.25 ? (t: number) => centralMass(t, df) - massFromCentre : (t: number) => tailMass - upperTail(t, df);
  let t = 0;
  for (let step = 0; step < MAX_NEWTON_STEPS; step++) {
    const increment = -shortfall(t) / density(t, df);
    t += increment;
    // In exact arithmetic the increments stay positive; one at or below the rounding noise of
    // the shortfall means the iterates have reached the root to working precision.
    if (increment <= 1e-15 * t) return p < 0.5 ? -t : t;
  }
  throw new Error(`studentTQuantile did not converge for p = ${p}, df = ${df}`);
}

/**
 * Two-sided Student-t confidence interval around an estimate.
 *
 * Parameters
 * ----------
 * estimate : number
 *     Centre of the interval (a mean, or a difference of means).
 * standardError : number ≥ 0
 *     Estimated standard deviation of the estimate (e.g. s/√n).
 * df : number > 0
 *     Degrees of freedom of the t distribution (n − 1 for one sample or paired differences,
 *     Welch–Satterthwaite for two unpaired samples).
 * confidence : number in (0, 1), default 0.95
 *     Coverage of the interval.
 *
 * Returns
 * -------
 * [estimate − h, estimate + h] with h = t_{(1+confidence)/2, df} · standardError
 * (scipy.stats.t.interval(confidence, df, loc=estimate, scale=standardError)).
 *
 * References
 * ----------
 * "Student" (W. S. Gosset), "The probable error of a mean", Biometrika 6 (1908) 1–25.
 */
export function studentTInterval(estimate: number, standardError: number, df: number, confidence = 0.95): [number, number] {
  if (!(confidence > 0 && confidence < 1)) throw new Error(`confidence must be in (0, 1), got ${confidence}`);
  if (!(standardError >= 0)) throw new Error(`standard error must be ≥ 0, got ${standardError}`);
  const halfWidth = studentTQuantile((1 + confidence) / 2, df) * standardError;
  return [estimate - halfWidth, estimate + halfWidth];
}
