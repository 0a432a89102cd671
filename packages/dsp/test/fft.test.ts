import { describe, expect, it } from 'vitest';
import { complexFft, nextFastLength } from '../src/fft/plan.ts';
import { realFft } from '../src/fft/real.ts';

/** Direct O(n²) DFT as the reference. */
function dft(re: Float64Array, im: Float64Array): [Float64Array, Float64Array] {
  const n = re.length;
  const R = new Float64Array(n),
    I = new Float64Array(n);
  for (let k = 0; k < n; k++)
    for (let t = 0; t < n; t++) {
      const a = (-2 * Math.PI * ((k * t) % n)) / n;
      R[k] += re[t] * Math.cos(a) - im[t] * Math.sin(a);
      I[k] += re[t] * Math.sin(a) + im[t] * Math.cos(a);
    }
  return [R, I];
}

let seed = 1;
const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5;
const signal = (n: number) => Float64Array.from({ length: n }, random);
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>, n = a.length) => {
  let m = 0;
  for (let i = 0; i < n; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

// Every butterfly (4, 2, 3, 5, 7, generic odd prime 11/13) and mixes of them.
const LENGTHS = [1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 13, 16, 30, 49, 64, 105, 143, 147, 320, 1024, 1960];

describe('complexFft', () => {
  for (const n of LENGTHS)
    it(`n = ${n}: matches the direct DFT and inverts`, () => {
      const re = signal(n),
        im = signal(n);
      const [R, I] = dft(re, im);
      const a = re.slice(),
        b = im.slice();
      complexFft(n).forward(a, b);
      // Tolerance: float64 rounding grows ~ n·eps for the direct DFT reference.
      expect(maxDiff(a, R)).toBeLessThan(1e-9);
      expect(maxDiff(b, I)).toBeLessThan(1e-9);
      complexFft(n).inverse(a, b);
      expect(maxDiff(a, re)).toBeLessThan(1e-12);
      expect(maxDiff(b, im)).toBeLessThan(1e-12);
    });
});

describe('realFft', () => {
  for (const n of [2, 4, 6, 14, 30, 98, 2048, 2 * 1960])
    it(`n = ${n}: half spectrum of the DFT, and back`, () => {
      const x = signal(n);
      const [R, I] = dft(x, new Float64Array(n));
      const re = new Float64Array(n / 2 + 1),
        im = new Float64Array(n / 2 + 1);
      realFft(n).forward(x, re, im);
      expect(maxDiff(re, R, n / 2 + 1)).toBeLessThan(1e-9);
      expect(maxDiff(im, I, n / 2 + 1)).toBeLessThan(1e-9);
      const y = new Float64Array(n);
      realFft(n).inverse(re, im, y);
      expect(maxDiff(y, x)).toBeLessThan(1e-12);
    });

  it('rejects odd lengths', () => expect(() => realFft(7)).toThrow(/even/));
});

it('nextFastLength gives the next 7-smooth length (optionally a multiple)', () => {
  expect(nextFastLength(11)).toBe(12);
  expect(nextFastLength(97)).toBe(98);
  expect(nextFastLength(1000, 7)).toBe(1008);
});

it('realFft.forward zero-extends a shorter input (odd and even lengths)', () => {
  for (const len of [0, 5, 6, 31]) {
    const x = signal(len);
    const padded = new Float64Array(32);
    padded.set(x);
    const a = [new Float64Array(17), new Float64Array(17)],
      b = [new Float64Array(17), new Float64Array(17)];
    realFft(32).forward(x, a[0], a[1]);
    realFft(32).forward(padded, b[0], b[1]);
    expect(maxDiff(a[0], b[0])).toBe(0);
    expect(maxDiff(a[1], b[1])).toBe(0);
  }
});
