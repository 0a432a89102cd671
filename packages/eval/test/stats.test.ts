/**
 * Student-t maths, fold/seed summaries, paired and Welch intervals, and verdicts.
 *
 * Reference numbers: SciPy 1.17.1 / NumPy 2.4.6 (fixtures/stats_reference.py → stats-reference.json;
 * see stats-reference.ts). Tolerance 1e-12 (relative, absolute below 1) for t quantiles and every
 * interval built on them: the module promises 1e-10 and reaches ~5e-14 against SciPy (whose t.ppf,
 * from Boost, is good to ~1e-15), so a regression shows here long before it breaks the promise.
 * Means and standard deviations are plain sums: 1e-12 too.
 */
import { describe, expect, it } from 'vitest';
import { logBeta, logGamma, regularizedIncompleteBeta } from '../src/stats/special-functions.ts';
import { pairedTInterval, studentTCdf, studentTQuantile, summarize, verdict, welchInterval } from '../src/stats/index.ts';
import { reference } from './stats-reference.ts';

/** |actual − expected| ≤ tol · max(1, |expected|): relative for large values, absolute near 0. */
function expectClose(actual: number, expected: number, tol: number, what = ''): void {
  const error = Math.abs(actual - expected) / Math.max(1, Math.abs(expected));
  if (!(error <= tol)) throw new Error(`${what}: got ${actual}, expected ${expected} (scaled error ${error.toExponential(2)} > ${tol})`);
}

const expectIntervalClose = (actual: readonly [number, number] | null, expected: readonly [number, number], tol: number, what = '') => {
  expect(actual).not.toBeNull();
  expectClose(actual![0], expected[0], tol, `${what} low`);
  expectClose(actual![1], expected[1], tol, `${what} high`);
};

describe('special functions vs scipy.special', () => {
  it('logGamma matches gammaln to 1e-14 (relative)', () => {
    for (const { x, value } of reference.logGamma) expectClose(logGamma(x), value, 1e-14, `gammaln(${x})`);
  });

  it('logBeta matches the exact value (half-integer arguments) to 1e-14, or betaln to 1e-13', () => {
    // Exact rationals where possible: betaln itself is off by 3e-13 at (500, ½) and 3e-11 at
    // (5e4, ½), where its two large log-gammas cancel; logBeta goes through Stirling's series there.
    for (const { a, b, scipy, exact } of reference.logBeta) expectClose(logBeta(a, b), exact ?? scipy, exact === null ? 1e-13 : 1e-14, `ln B(${a}, ${b})`);
  });

  it('regularizedIncompleteBeta matches betainc to 1e-13 (absolute; values are in [0, 1])', () => {
    for (const { x, a, b, value } of reference.incompleteBeta) expectClose(regularizedIncompleteBeta(x, a, b), value, 1e-13, `betainc(${a}, ${b}, ${x})`);
  });

  it('rejects arguments outside the domain', () => {
    expect(() => logGamma(0)).toThrow(/x > 0/);
    expect(() => regularizedIncompleteBeta(1.5, 1, 1)).toThrow(/\[0, 1\]/);
    expect(() => regularizedIncompleteBeta(0.5, 0, 1)).toThrow(/a, b > 0/);
  });
});

describe('Student t distribution vs scipy.stats.t', () => {
  it('quantiles match t.ppf to 1e-12 for df 1…1000 and non-integer df, tails included', () => {
    const dfs = new Set(reference.tQuantiles.map((r) => r.df));
    for (const df of [1, 2, 3, 4, 5, 9, 19, 29, 100, 1000]) expect(dfs.has(df)).toBe(true);
    expect([...dfs].some((df) => !Number.isInteger(df))).toBe(true);
    for (const { df, p, ppf } of reference.tQuantiles) expectClose(studentTQuantile(p, df), ppf, 1e-12, `t.ppf(${p}, ${df})`);
  });

  it('t_{0.975, df} (the one every 95% interval uses) matches t.ppf for every integer df 1…1000', () => {
    reference.tQuantile975ByDf.forEach((ppf, i) => expectClose(studentTQuantile(0.975, i + 1), ppf, 1e-12, `t.ppf(0.975, ${i + 1})`));
  });

  it('the CDF matches t.cdf to 1e-13 absolute, and to 1e-12 relative in the lower tail (down to 1e-202)', () => {
    for (const { df, t, cdf } of reference.tCdf) {
      const actual = studentTCdf(t, df);
      expect(Math.abs(actual - cdf), `t.cdf(${t}, ${df})`).toBeLessThanOrEqual(1e-13);
      if (t < 0 && cdf > 0) expect(Math.abs(actual - cdf) / cdf, `t.cdf(${t}, ${df}) relative`).toBeLessThanOrEqual(1e-12);
    }
  });

  it('the quantile inverts the CDF and is odd', () => {
    for (const df of [0.5, 1, 7, 64.5, 1000])
      // 2⁻²⁰ rather than 1e-6: its complement 1 − p is exact, so ppf(1 − p) = −ppf(p) exactly in theory.
      for (const p of [2 ** -20, 0.02, 0.3, 0.7, 0.999]) {
        expectClose(studentTCdf(studentTQuantile(p, df), df), p, 1e-12, `cdf(ppf(${p}, ${df}))`);
        expectClose(studentTQuantile(1 - p, df), -studentTQuantile(p, df), 1e-12, `ppf(1 − ${p}, ${df})`);
      }
  });

  it('edges: p = ½ → 0, p = 0 / 1 → ∓∞; bad p or df throws', () => {
    expect(studentTQuantile(0.5, 3)).toBe(0);
    expect(studentTQuantile(0, 3)).toBe(-Infinity);
    expect(studentTQuantile(1, 3)).toBe(Infinity);
    expect(() => studentTQuantile(1.2, 3)).toThrow(/\[0, 1\]/);
    expect(() => studentTQuantile(0.9, 0)).toThrow(/degrees of freedom/);
    expect(() => studentTQuantile(0.9, NaN)).toThrow(/degrees of freedom/);
  });
});

describe('summarize (folds or seeds) vs numpy.std(ddof=1) and scipy.stats.t.interval', () => {
  it('mean, sample std and the 95% t interval match for n = 2, 3, 5, 10, 30', () => {
    expect(reference.summaries.map((s) => s.values.length)).toEqual([2, 3, 5, 10, 30]);
    for (const { values, mean, std, ci95 } of reference.summaries) {
      const s = summarize(values);
      expect(s.n).toBe(values.length);
      expectClose(s.mean, mean, 1e-12, 'mean');
      expectClose(s.std!, std, 1e-12, 'std');
      expectIntervalClose(s.ci95, ci95, 1e-12, `ci95 n=${values.length}`);
    }
  });

  it('accepts typed arrays', () => {
    const { values, ci95 } = reference.summaries[2];
    expectIntervalClose(summarize(Float64Array.from(values)).ci95, ci95, 1e-12, 'Float64Array');
  });

  it('n = 1: std and interval are null, not NaN', () => {
    expect(summarize([0.7])).toEqual({ n: 1, mean: 0.7, std: null, ci95: null });
  });

  it('constant values: std 0 and a point interval', () => {
    expect(summarize([0.5, 0.5, 0.5])).toEqual({ n: 3, mean: 0.5, std: 0, ci95: [0.5, 0.5] });
  });

  it('no values, or a non-finite one, throws', () => {
    expect(() => summarize([])).toThrow(/no values/);
    expect(() => summarize([0.5, NaN])).toThrow(/values\[1\] = NaN/);
  });
});

describe('pairedTInterval vs scipy.stats.ttest_rel(b, a).confidence_interval()', () => {
  it('a real difference: the interval matches and excludes 0, the verdict is "higher"', () => {
    const { a, b, mean, std, ci95 } = reference.pairedReal;
    const d = pairedTInterval(a, b);
    expect(d.n).toBe(a.length);
    expect(d.differences).toEqual(b.map((x, i) => x - a[i]));
    expectClose(d.mean, mean, 1e-12, 'mean');
    expectClose(d.std!, std, 1e-12, 'std');
    expectIntervalClose(d.ci95, ci95, 1e-12, 'paired ci95');
    expect(d.ci95![0]).toBeGreaterThan(0);
    expect(verdict(d.mean, d.ci95).direction).toBe('higher');
  });

  it('no difference: the interval matches and covers 0, the verdict is "none"', () => {
    const { a, b, ci95 } = reference.pairedNone;
    const d = pairedTInterval(a, b);
    expectIntervalClose(d.ci95, ci95, 1e-12, 'paired ci95');
    expect(d.ci95![0]).toBeLessThanOrEqual(0);
    expect(d.ci95![1]).toBeGreaterThanOrEqual(0);
    const v = verdict(d.mean, d.ci95);
    expect(v.direction).toBe('none');
    expect(v.sentence).toMatch(/^no difference detectable \(interval \[-?\d\.\d{3}, \d\.\d{3}\] covers 0\)$/);
  });

  it('pairing removes the shared fold variation: Welch on the same numbers is several times wider', () => {
    // The fixture's folds share a difficulty of sd 0.03; each run adds only sd 0.004 of its own.
    const { a, b } = reference.pairedReal;
    const width = ([low, high]: [number, number]) => high - low;
    expect(width(welchInterval(a, b).ci95!)).toBeGreaterThan(3 * width(pairedTInterval(a, b).ci95!));
  });

  it('unmatched lengths throw; one pair gives a null interval', () => {
    expect(() => pairedTInterval([1, 2], [1])).toThrow(/matched runs: A has 2 values, B has 1/);
    expect(pairedTInterval([0.5], [0.6]).ci95).toBeNull();
  });
});

describe('welchInterval vs scipy.stats.ttest_ind(b, a, equal_var=False)', () => {
  it('difference, Welch–Satterthwaite df and the 95% interval match', () => {
    const { a, b, difference, df, ci95 } = reference.welch;
    expect(a.length).not.toBe(b.length);
    const w = welchInterval(a, b);
    expectClose(w.difference, difference, 1e-12, 'difference');
    expectClose(w.df!, df, 1e-12, 'df');
    expect(Number.isInteger(w.df)).toBe(false);
    expectIntervalClose(w.ci95, ci95, 1e-12, 'welch ci95');
  });

  it('a single value in either run: no interval; two constant runs: a point interval', () => {
    expect(welchInterval([0.5], [0.6, 0.7])).toMatchObject({ standardError: null, df: null, ci95: null });
    const constant = welchInterval([0.5, 0.5], [0.75, 0.75, 0.75]);
    expect(constant).toEqual({ difference: 0.25, standardError: 0, df: null, ci95: [0.25, 0.25] });
  });
});

describe('verdict', () => {
  it('writes the three sentences of the brief', () => {
    expect(verdict(0.034, [0.012, 0.056])).toEqual({ direction: 'higher', withinTolerance: false, sentence: 'B higher by 0.034 [0.012, 0.056]' });
    expect(verdict(-0.02, [-0.041, -0.002])).toEqual({ direction: 'lower', withinTolerance: false, sentence: 'B lower by 0.020 [-0.041, -0.002]' });
    expect(verdict(0.007, [-0.013, 0.027])).toEqual({
      direction: 'none',
      withinTolerance: false,
      sentence: 'no difference detectable (interval [-0.013, 0.027] covers 0)',
    });
  });

  it('an interval touching 0 covers it', () => {
    expect(verdict(0.01, [0, 0.02]).direction).toBe('none');
    expect(verdict(0, [0, 0]).direction).toBe('none');
  });

  it('atol: a difference smaller than the tolerance is within tolerance even when the interval excludes 0', () => {
    const v = verdict(0.004, [0.001, 0.007], { atol: 0.01 });
    expect(v).toEqual({
      direction: 'none',
      withinTolerance: true,
      sentence: 'within tolerance: B − A = 0.004 [0.001, 0.007], |Δ| < atol 0.01',
    });
    expect(verdict(-0.004, [-0.007, -0.001], { atol: 0.01 }).withinTolerance).toBe(true);
    // At or above the tolerance, the interval decides again.
    expect(verdict(0.01, [0.005, 0.015], { atol: 0.01 }).direction).toBe('higher');
  });

  it('no interval (one fold or seed) is not a detectable difference', () => {
    expect(verdict(0.034, null)).toEqual({
      direction: 'none',
      withinTolerance: false,
      sentence: 'no difference detectable (no interval from one value; B − A = 0.034)',
    });
  });

  it('names and digits', () => {
    expect(verdict(0.0341, [0.0121, 0.0562], { nameA: 'main', nameB: 'specaug', digits: 2 }).sentence).toBe('specaug higher by 0.03 [0.01, 0.06]');
  });

  it('rejects a NaN difference, a negative atol and an unordered interval', () => {
    expect(() => verdict(NaN, [0, 1])).toThrow(/finite/);
    expect(() => verdict(0.1, [0, 1], { atol: -1 })).toThrow(/atol/);
    expect(() => verdict(0.1, [0.2, 0.1])).toThrow(/not ordered/);
  });
});
