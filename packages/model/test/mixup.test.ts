/**
 * mixup's draws and mixing. References are the distributions' moments: Gamma(k, 1) has mean k and
 * variance k; Beta(α, α) mean 1/2 and variance 1/(4(2α + 1)). With 40,000 draws the tolerance is
 * 4 standard errors of each estimate (the variance's from the fourth moment, bounded generously).
 */
import { describe, expect, it } from 'vitest';
import { betaSample, gammaSample, mixedTargets, mixup } from '../src/mixup.ts';
import { Rng } from '../src/rng.ts';

const N = 40_000;
function moments(draw: () => number) {
  const xs = Float64Array.from({ length: N }, draw);
  const mean = xs.reduce((a, x) => a + x, 0) / N;
  const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (N - 1);
  return { mean, variance, min: Math.min(...xs), max: Math.max(...xs) };
}

describe('gammaSample', () => {
  for (const shape of [0.4, 1, 3]) {
    it(`Gamma(${shape}, 1): mean and variance ${shape}`, () => {
      const rng = new Rng(1);
      const m = moments(() => gammaSample(shape, rng));
      const se = Math.sqrt(shape / N);
      expect(Math.abs(m.mean - shape)).toBeLessThan(4 * se);
      // Var of the sample variance ≈ (μ₄ − σ⁴)/N, μ₄ = 3k² + 6k for Gamma(k).
      expect(Math.abs(m.variance - shape)).toBeLessThan(4 * Math.sqrt((3 * shape ** 2 + 6 * shape - shape ** 2) / N));
      expect(m.min).toBeGreaterThan(0);
    });
  }
});

describe('betaSample', () => {
  for (const alpha of [0.2, 0.4, 2]) {
    it(`Beta(${alpha}, ${alpha}): mean 1/2, variance 1/(4(2α + 1)), inside (0, 1)`, () => {
      const rng = new Rng(2);
      const m = moments(() => betaSample(alpha, alpha, rng));
      const variance = 1 / (4 * (2 * alpha + 1));
      expect(Math.abs(m.mean - 0.5)).toBeLessThan(4 * Math.sqrt(variance / N));
      // On [0, 1], (x − ½)² ≤ ¼: the sample variance's standard error is at most ¼/√N.
      expect(Math.abs(m.variance - variance)).toBeLessThan(4 * (0.25 / Math.sqrt(N)));
      expect(m.min).toBeGreaterThanOrEqual(0);
      expect(m.max).toBeLessThanOrEqual(1);
    });
  }
});

describe('mixup', () => {
  it('replaces each row by λ·itself + (1 − λ)·its partner, partners a permutation', () => {
    const count = 5;
    const size = 3;
    const x = Float32Array.from({ length: count * size }, (_, i) => i * i);
    const original = x.slice();
    const { lambda, partner } = mixup(x, count, size, 0.4, new Rng(3));
    expect([...partner].sort()).toEqual([0, 1, 2, 3, 4]);
    expect(lambda).toBeGreaterThan(0);
    expect(lambda).toBeLessThan(1);
    for (let i = 0; i < count; i++)
      for (let k = 0; k < size; k++) expect(x[i * size + k]).toBeCloseTo(lambda * original[i * size + k] + (1 - lambda) * original[partner[i] * size + k], 4);
  });
});

describe('mixedTargets', () => {
  it("puts λ on a row's own class and 1 − λ on its partner's (both on one class when they agree)", () => {
    const t = mixedTargets(Int32Array.from([0, 2, 2]), { lambda: 0.7, partner: Int32Array.from([1, 2, 0]) }, 3);
    const expected = [0.7, 0, 0.3, 0, 0, 1, 0.3, 0, 0.7];
    expected.forEach((v, i) => expect(t[i]).toBeCloseTo(v, 6));
  });
});
