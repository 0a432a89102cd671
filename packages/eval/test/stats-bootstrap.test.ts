/**
 * The seeded PRNG and the percentile bootstraps (one run, and paired between two runs).
 *
 * References: fixtures/stats-reference.json (SciPy 1.17.1, NumPy 2.4.6, scikit-learn 1.9.1; see
 * stats-reference.ts). NumPy's bootstraps use its own generator (PCG64), so they agree with ours
 * only up to Monte Carlo error; each comparison states its tolerance next to it.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../src/metrics.ts';
import {
  DEFAULT_RESAMPLES,
  accuracyMetric,
  bootstrapMetricInterval,
  macroF1Metric,
  pairedBootstrapDifference,
  verdict,
  xoshiro128StarStar,
} from '../src/stats/index.ts';
import { reference } from './stats-reference.ts';

/** Resamples on our side for the comparisons with NumPy. */
const MANY_RESAMPLES = 20_000;
const classNames = (numClasses: number) => Array.from({ length: numClasses }, (_, c) => `c${c}`);

/**
 * Monte Carlo standard error of a 2.5% / 97.5% bootstrap endpoint from B resamples, treating the
 * bootstrap distribution as normal with the given sd: √(q(1 − q)/B) / φ(z_q) · sd, the asymptotic
 * standard error of a sample quantile (e.g. Serfling, Approximation Theorems of Mathematical
 * Statistics, 1980, ch. 2). φ(1.96) = 0.05845.
 */
const endpointStandardError = (resamples: number, bootstrapStd: number) => (Math.sqrt((0.025 * 0.975) / resamples) / 0.05845) * bootstrapStd;

/** Labels and a prediction with the given accuracy (wrong predictions uniform over the other classes). */
function syntheticRun(n: number, numClasses: number, accuracyPercent: number, seed: number): { yTrue: Int32Array; yPred: Int32Array } {
  const random = xoshiro128StarStar(seed);
  const yTrue = new Int32Array(n);
  const yPred = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    yTrue[i] = random.nextBelow(numClasses);
    yPred[i] = random.nextBelow(100) < accuracyPercent ? yTrue[i] : (yTrue[i] + 1 + random.nextBelow(numClasses - 1)) % numClasses;
  }
  return { yTrue, yPred };
}

describe('xoshiro128StarStar', () => {
  it('reproduces an independent Python transcription of the reference algorithm, word for word', () => {
    for (const { seed, words } of reference.prng) {
      const random = xoshiro128StarStar(seed);
      expect(
        words.map(() => random.nextUint32()),
        `seed ${seed}`,
      ).toEqual(words);
    }
  });

  it('nextBelow is in range and uniform (chi-square over 10 bins, 100 000 draws)', () => {
    const random = xoshiro128StarStar(7);
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i++) counts[random.nextBelow(10)]++;
    const chiSquare = counts.reduce((s, c) => s + (c - 10_000) ** 2 / 10_000, 0);
    // chi-square with 9 df: P(> 27.88) = 0.001.
    expect(chiSquare).toBeLessThan(27.88);
    expect(counts.reduce((s, c) => s + c, 0)).toBe(100_000);
  });

  it('rejects a seed that is not a 32-bit integer, and a bad bound', () => {
    expect(() => xoshiro128StarStar(-1)).toThrow(/seed/);
    expect(() => xoshiro128StarStar(1.5)).toThrow(/seed/);
    expect(() => xoshiro128StarStar(2 ** 32)).toThrow(/seed/);
    expect(() => xoshiro128StarStar(1).nextBelow(0)).toThrow(/bound/);
  });
});

describe('bootstrapMetricInterval', () => {
  const { yTrue, yPred, numClasses } = reference.bootstrap;

  it("the point value is classificationReport's macro-F1 and scikit-learn's f1_score(labels=present, macro)", () => {
    const b = bootstrapMetricInterval(yTrue, yPred, numClasses, { resamples: 10 });
    expect(b.value).toBe(evaluate(yTrue, yPred, classNames(numClasses)).macroF1);
    expect(b.value).toBeCloseTo(reference.bootstrap.macroF1, 12);
    const accuracy = bootstrapMetricInterval(yTrue, yPred, numClasses, { resamples: 10, metric: accuracyMetric });
    expect(accuracy.value).toBeCloseTo(reference.bootstrap.accuracy, 12);
  });

  it('defaults: macro-F1, 2000 resamples, seed 0, not stratified', () => {
    const b = bootstrapMetricInterval(yTrue, yPred, numClasses);
    expect(DEFAULT_RESAMPLES).toBe(2000);
    expect(b).toMatchObject({ resamples: 2000, seed: 0, stratified: false });
    expect(b).toEqual(bootstrapMetricInterval(yTrue, yPred, numClasses, { metric: macroF1Metric, resamples: 2000, seed: 0 }));
  });

  it('is deterministic: same seed → identical interval, different seed → a different one', () => {
    const first = bootstrapMetricInterval(yTrue, yPred, numClasses, { seed: 42, resamples: 500 });
    const again = bootstrapMetricInterval(Int32Array.from(yTrue), Int32Array.from(yPred), numClasses, { seed: 42, resamples: 500 });
    const other = bootstrapMetricInterval(yTrue, yPred, numClasses, { seed: 43, resamples: 500 });
    expect(again).toEqual(first);
    expect(other.ci95).not.toEqual(first.ci95);
    expect(other.value).toBe(first.value);
  });

  it('agrees with a NumPy percentile bootstrap of the same data within Monte Carlo error', () => {
    const b = bootstrapMetricInterval(yTrue, yPred, numClasses, { resamples: MANY_RESAMPLES, seed: 1 });
    // Both endpoints are Monte Carlo estimates (ours from 20 000 resamples, NumPy's from 100 000);
    // allow 4 standard errors of their difference (≈ 0.002 here, a tenth of the half-width 0.05).
    const { ci95, resamples, bootstrapStd } = reference.bootstrap;
    const tolerance = 4 * Math.hypot(endpointStandardError(MANY_RESAMPLES, bootstrapStd), endpointStandardError(resamples, bootstrapStd));
    expect(tolerance).toBeLessThan(0.003);
    expect(Math.abs(b.ci95[0] - ci95[0])).toBeLessThan(tolerance);
    expect(Math.abs(b.ci95[1] - ci95[1])).toBeLessThan(tolerance);
  });

  it('for accuracy on a large split, matches the normal approximation p ± 1.96 √(p(1 − p)/n)', () => {
    const n = 4000;
    const { yTrue: labels, yPred: predicted } = syntheticRun(n, 8, 70, 11);
    const b = bootstrapMetricInterval(labels, predicted, 8, { metric: accuracyMetric, seed: 3 });
    const p = b.value;
    const halfWidth = 1.96 * Math.sqrt((p * (1 - p)) / n); // ≈ 0.0142
    // Tolerance 0.002: the endpoints' Monte Carlo error at 2000 resamples is ≈ 0.0004 (see
    // endpointStandardError), the binomial's skew and 1/n steps add < 0.0003; 0.002 is ≈ 4 of
    // those errors together and a seventh of the half-width, so a wrong percentile (90% instead
    // of 95% moves each endpoint by 0.0023) or a resample of the wrong size would fail.
    expect(Math.abs(b.ci95[0] - (p - halfWidth))).toBeLessThan(0.002);
    expect(Math.abs(b.ci95[1] - (p + halfWidth))).toBeLessThan(0.002);
  });

  it("stratify keeps every resample's class counts; the plain bootstrap does not", () => {
    const countOfClass0 = (labels: Int32Array) => labels.reduce((s, y) => s + (y === 0 ? 1 : 0), 0);
    const expected = countOfClass0(Int32Array.from(yTrue));
    const metric = (labels: Int32Array) => countOfClass0(labels);
    const stratified = bootstrapMetricInterval(yTrue, yPred, numClasses, { metric, stratify: true, resamples: 200 });
    expect(stratified.ci95).toEqual([expected, expected]);
    expect(stratified.stratified).toBe(true);
    const plain = bootstrapMetricInterval(yTrue, yPred, numClasses, { metric, resamples: 200 });
    expect(plain.ci95[1] - plain.ci95[0]).toBeGreaterThan(10);
  });

  it('rejects bad input', () => {
    expect(() => bootstrapMetricInterval([], [], 3)).toThrow(/at least one recording/);
    expect(() => bootstrapMetricInterval([0, 1], [0], 3)).toThrow(/2 labels but y_pred has 1/);
    expect(() => bootstrapMetricInterval([0, 1.5], [0, 1], 3)).toThrow(/y_true\[1\] = 1.5/);
    expect(() => bootstrapMetricInterval([0, 1], [0, 3], 3)).toThrow(/y_pred\[1\] = 3/);
    expect(() => bootstrapMetricInterval([0, 1], [0, 1], 3, { resamples: 0 })).toThrow(/resamples/);
  });
});

describe('pairedBootstrapDifference', () => {
  it('agrees with a NumPy paired bootstrap (same indices for both runs) within Monte Carlo error', () => {
    const { yTrue, predA, predB, numClasses, ci95, resamples, bootstrapStd, a, b } = reference.pairedBootstrap;
    const d = pairedBootstrapDifference(yTrue, predA, predB, numClasses, { resamples: MANY_RESAMPLES, seed: 1 });
    expect(d.a).toBeCloseTo(a, 12);
    expect(d.b).toBeCloseTo(b, 12);
    expect(d.value).toBe(d.b - d.a);
    // As for the single-run comparison: 4 standard errors of the difference of two Monte Carlo
    // estimates. Resampling A and B independently would widen the interval by far more.
    const tolerance = 4 * Math.hypot(endpointStandardError(MANY_RESAMPLES, bootstrapStd), endpointStandardError(resamples, bootstrapStd));
    expect(Math.abs(d.ci95[0] - ci95[0])).toBeLessThan(tolerance);
    expect(Math.abs(d.ci95[1] - ci95[1])).toBeLessThan(tolerance);
  });

  it('B clearly better: the interval excludes 0 and the verdict is "higher"', () => {
    const { yTrue, yPred: predA } = syntheticRun(600, 6, 55, 21);
    const predB = predA.map((p, i) => (p !== yTrue[i] && i % 2 === 0 ? yTrue[i] : p)); // fixes half of A's errors
    const d = pairedBootstrapDifference(yTrue, predA, predB, 6, { seed: 5 });
    expect(d.value).toBeCloseTo(evaluate(yTrue, predB, classNames(6)).macroF1 - evaluate(yTrue, predA, classNames(6)).macroF1, 12);
    expect(d.ci95[0]).toBeGreaterThan(0);
    expect(d.ci95[0]).toBeLessThanOrEqual(d.value);
    expect(d.ci95[1]).toBeGreaterThanOrEqual(d.value);
    expect(verdict(d.value, d.ci95).direction).toBe('higher');
    // The same runs the other way round: the mirror image.
    const reversed = pairedBootstrapDifference(yTrue, predB, predA, 6, { seed: 5 });
    expect(reversed.ci95[0]).toBeCloseTo(-d.ci95[1], 12);
    expect(verdict(reversed.value, reversed.ci95).direction).toBe('lower');
  });

  it('identical runs: the difference and its interval are exactly 0', () => {
    const { yTrue, yPred } = syntheticRun(300, 6, 60, 31);
    const d = pairedBootstrapDifference(yTrue, yPred, Int32Array.from(yPred), 6);
    expect(d.value).toBe(0);
    expect(d.ci95).toEqual([0, 0]);
    expect(verdict(d.value, d.ci95).direction).toBe('none');
  });

  it('runs that differ by noise only (B fixes as many recordings as it breaks): the interval covers 0', () => {
    const { yTrue, yPred: predA } = syntheticRun(500, 6, 65, 41);
    const predB = Int32Array.from(predA);
    let fixed = 0;
    let broken = 0;
    for (let i = 0; i < predA.length; i++) {
      if (predA[i] !== yTrue[i] && fixed < 20 && i % 3 === 0) ((predB[i] = yTrue[i]), fixed++);
      else if (predA[i] === yTrue[i] && broken < 20 && i % 3 === 1) ((predB[i] = (yTrue[i] + 1) % 6), broken++);
    }
    expect([fixed, broken]).toEqual([20, 20]);
    for (const metric of [macroF1Metric, accuracyMetric]) {
      const d = pairedBootstrapDifference(yTrue, predA, predB, 6, { metric, seed: 9 });
      expect(d.ci95[0]).toBeLessThan(0);
      expect(d.ci95[1]).toBeGreaterThan(0);
      expect(verdict(d.value, d.ci95).direction).toBe('none');
    }
    expect(pairedBootstrapDifference(yTrue, predA, predB, 6, { metric: accuracyMetric, resamples: 1 }).value).toBe(0);
  });

  it('rejects runs of different lengths', () => {
    expect(() => pairedBootstrapDifference([0, 1], [0, 1], [0], 2)).toThrow(/predB has 1/);
  });
});
