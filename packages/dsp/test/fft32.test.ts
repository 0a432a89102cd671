/** realFft32 (PFFFT, float32) against realFft (float64): same spectrum within float32 rounding. */
import { describe, expect, it } from 'vitest';
import { realFft } from '../src/fft/real.ts';
import { realFft32 } from '../src/fft/pffft.ts';

/** Max |X32 - X64| over all bins, relative to the largest |X64|. */
function relativeError(n: number, seed: number): number {
  const x = Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37 + seed) * 0.6 + Math.sin(i * i * 0.001 + seed) * 0.3);
  const re = new Float64Array(n / 2 + 1),
    im = new Float64Array(n / 2 + 1);
  realFft(n).forward(x, re, im);
  const plan = realFft32(n);
  plan.input().set(x);
  const X = plan.forward();
  let err = Math.max(Math.abs(X[0] - re[0]), Math.abs(X[1] - re[n / 2])),
    peak = 0;
  for (let k = 0; k <= n / 2; k++) peak = Math.max(peak, Math.hypot(re[k], im[k]));
  for (let k = 1; k < n / 2; k++) err = Math.max(err, Math.hypot(X[2 * k] - re[k], X[2 * k + 1] - im[k]));
  return err / peak;
}

describe('realFft32', () => {
  it('matches the float64 FFT on PFFFT lengths and on fallback lengths', () => {
    for (const n of [2048, 1024, 960, 2000, 400, 6]) expect(relativeError(n, n)).toBeLessThan(1e-6);
  });

  it('stays correct after another plan grows the WASM memory', () => {
    expect(relativeError(2048, 1)).toBeLessThan(1e-6);
    expect(relativeError(1 << 21, 2)).toBeLessThan(1e-5);
    expect(relativeError(2048, 3)).toBeLessThan(1e-6);
  });

  it('inverse brings the ordered spectrum back to the signal (PFFFT and fallback lengths)', () => {
    for (const n of [2048, 1920, 2000]) {
      const x = Float32Array.from({ length: n }, (_, i) => Math.cos(i * 0.11) * 0.5 + ((i * 7919) % 13) / 26);
      const plan = realFft32(n);
      plan.input().set(x);
      plan.input().set(plan.forward());
      const y = plan.inverse();
      let err = 0;
      for (let i = 0; i < n; i++) err = Math.max(err, Math.abs(y[i] - x[i]));
      expect(err).toBeLessThan(1e-6);
    }
  });

  it('rejects odd lengths', () => {
    expect(() => realFft32(1001)).toThrow(/even/);
  });
});
