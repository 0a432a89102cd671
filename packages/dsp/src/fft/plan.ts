/**
 * Float64 complex FFTs of any length n: a Stockham autosort mixed-radix FFT (Van Loan, "Computational
 * Frameworks for the FFT", 1992): forward X[k] = Σ_j x[j]·e^{-2πi jk/n}, unnormalised, as numpy.fft.fft;
 * inverse scaled by 1/n, as numpy.fft.ifft. n is factorised into radix 4, 2, 3, 5 and 7 passes, then
 * any other odd primes (the butterflies, butterflies.ts). Cost is O(n · sum of prime factors): where
 * the length is free, pad to `nextFastLength` (7-smooth; cf. scipy.fft.next_fast_len). A plan (each
 * pass's twiddles, the scratch arrays) is built once per length and kept in an LRU (lru.ts).
 */
import { runStage, type Stage } from './butterflies.ts';
import { cachedPlan } from './lru.ts';

/** A complex FFT of length n, forward (e^{-2πi kn/N}) and unnormalised. */
export interface ComplexFft {
  readonly n: number;
  /** Transforms (re, im) in place. */
  forward(re: Float64Array, im: Float64Array): void;
  /**
   * Forward transform without the final copy: returns the arrays holding the result, either
   * (re, im) or internal scratch buffers valid until the plan's next call.
   */
  transform(re: Float64Array, im: Float64Array): [Float64Array, Float64Array];
  /** Inverse transform, scaled by 1/n. */
  inverse(re: Float64Array, im: Float64Array): void;
}

function factorize(n: number): number[] {
  const out: number[] = [];
  while (n % 4 === 0) (out.push(4), (n /= 4));
  for (const p of [2, 3, 5]) while (n % p === 0) (out.push(p), (n /= p));
  for (let p = 7; n > 1; p += 2) while (n % p === 0) (out.push(p), (n /= p));
  return out;
}

/** Smallest m >= n that is a multiple of `multipleOf` (default 1) and has no prime factor above 7 (fast FFT lengths). */
export function nextFastLength(n: number, multipleOf = 1): number {
  for (let m = Math.max(1, Math.ceil(n / multipleOf)); ; m++) {
    let r = m * multipleOf;
    for (const p of [2, 3, 5, 7]) while (r % p === 0) r /= p;
    if (r === 1) return m * multipleOf;
  }
}

const complexCache = new Map<number, ComplexFft>();

/** Cached complex FFT plan for length n (n >= 1). */
export function complexFft(n: number): ComplexFft {
  return cachedPlan(complexCache, n, buildComplexFft);
}

function buildComplexFft(n: number): ComplexFft {
  if (!Number.isInteger(n) || n < 1) throw new Error(`FFT length must be a positive integer, got ${n}`);
  const stages: Stage[] = [];
  let stride = 1;
  for (const radix of factorize(n)) {
    const span = n / stride;
    const m = span / radix;
    const twiddles = new Float64Array(2 * m * (radix - 1));
    for (let p = 0; p < m; p++)
      for (let j = 1; j < radix; j++) {
        const a = (-2 * Math.PI * p * j) / span;
        twiddles[2 * (p * (radix - 1) + j - 1)] = Math.cos(a);
        twiddles[2 * (p * (radix - 1) + j - 1) + 1] = Math.sin(a);
      }
    const rootRe = new Float64Array(radix),
      rootIm = new Float64Array(radix);
    for (let e = 0; e < radix; e++) ((rootRe[e] = Math.cos((-2 * Math.PI * e) / radix)), (rootIm[e] = Math.sin((-2 * Math.PI * e) / radix)));
    stages.push({ radix, span, stride, twiddles, rootRe, rootIm });
    stride *= radix;
  }
  const bRe = new Float64Array(n);
  const bIm = new Float64Array(n);
  // Scratch for the generic odd-prime butterfly.
  const maxRadix = Math.max(1, ...stages.map((s) => s.radix));
  const tRe = new Float64Array(maxRadix + 1);
  const tIm = new Float64Array(maxRadix + 1);

  // Stockham passes ping-pong between the caller's arrays and the scratch pair.
  function transform(re: Float64Array, im: Float64Array): [Float64Array, Float64Array] {
    let xr: Float64Array = re,
      xi: Float64Array = im,
      yr: Float64Array = bRe,
      yi: Float64Array = bIm;
    for (const st of stages) {
      runStage(st, xr, xi, yr, yi, tRe, tIm);
      const tr = xr,
        ti = xi;
      ((xr = yr), (xi = yi), (yr = tr), (yi = ti));
    }
    return [xr, xi];
  }
  function forward(re: Float64Array, im: Float64Array) {
    const [xr, xi] = transform(re, im);
    if (xr !== re) (re.set(xr), im.set(xi));
  }
  return {
    n,
    forward,
    transform,
    // ifft(x) = swap(fft(swap(x))) / n, swap = exchange real and imaginary parts.
    inverse(re, im) {
      forward(im, re);
      const s = 1 / n;
      for (let k = 0; k < n; k++) ((re[k] *= s), (im[k] *= s));
    },
  };
}
