/**
 * Float64 real FFTs of even length n (numpy.fft.rfft / irfft): n real samples <-> n/2 + 1 complex
 * bins, through one complex FFT of length n/2 on the samples packed in pairs z[k] = x[2k] + i·x[2k+1]
 * and a split of its spectrum (Numerical Recipes §12.3). Inverse scaled by 1/n.
 */
import { cachedPlan } from './lru.ts';
import { complexFft } from './plan.ts';

/** A real FFT of even length n: n real samples <-> n/2 + 1 complex bins. */
export interface RealFft {
  readonly n: number;
  /** Spectrum of `x` (length <= n, zero-extended to n) into re/im (length n/2 + 1). */
  forward(x: Float32Array | Float64Array, re: Float64Array, im: Float64Array): void;
  /** Real signal (length n) from bins re/im (length n/2 + 1), scaled by 1/n; re/im are clobbered. */
  inverse(re: Float64Array, im: Float64Array, out: Float64Array): void;
}

const realCache = new Map<number, RealFft>();

/** Cached real FFT plan for even length n. */
export function realFft(n: number): RealFft {
  return cachedPlan(realCache, n, buildRealFft);
}

function buildRealFft(n: number): RealFft {
  if (!Number.isInteger(n) || n < 2 || n % 2) throw new Error(`real FFT length must be even and >= 2, got ${n}`);
  const h = n / 2;
  const c = complexFft(h);
  const zr = new Float64Array(h),
    zi = new Float64Array(h);
  // e^{-2πik/n}, k = 0..h
  const wr = new Float64Array(h + 1),
    wi = new Float64Array(h + 1);
  for (let k = 0; k <= h; k++) ((wr[k] = Math.cos((-2 * Math.PI * k) / n)), (wi[k] = Math.sin((-2 * Math.PI * k) / n)));
  return {
    n,
    forward(x, re, im) {
      packPairs(x, zr, zi);
      const [fr, fi] = c.transform(zr, zi);
      splitSpectrum(fr, fi, wr, wi, re, im);
    },
    inverse(re, im, out) {
      mergeSpectrum(re, im, wr, wi, zr, zi);
      // Unscaled inverse by the swap trick (see ComplexFft.inverse); the 1/h goes into the unpacking.
      const [gi, gr] = c.transform(zi, zr);
      unpackPairs(gr, gi, 1 / h, out);
    },
  };
}

/** z[k] = x[2k] + i·x[2k+1]; samples past x.length are zeros (zero padding without a copy). */
function packPairs(x: Float32Array | Float64Array, zr: Float64Array, zi: Float64Array) {
  const h = zr.length;
  const pairs = Math.min(h, x.length >> 1);
  for (let k = 0; k < pairs; k++) ((zr[k] = x[2 * k]), (zi[k] = x[2 * k + 1]));
  if (pairs < h) {
    zr.fill(0, pairs);
    zi.fill(0, pairs);
    if (x.length & 1) zr[pairs] = x[x.length - 1];
  }
}

/**
 * X[k] = E[k] + w^k O[k], E = (Z[k] + conj Z[h-k]) / 2, O = (Z[k] - conj Z[h-k]) / 2i, k = 0..h.
 * Bins k and h-k share their loads: E[h-k] = conj E[k], O[h-k] = conj O[k].
 */
function splitSpectrum(fr: Float64Array, fi: Float64Array, wr: Float64Array, wi: Float64Array, re: Float64Array, im: Float64Array) {
  const h = fr.length;
  re[0] = fr[0] + fi[0];
  im[0] = 0;
  re[h] = fr[0] - fi[0];
  im[h] = 0;
  for (let k = 1, b = h - 1; k <= b; k++, b--) {
    const er = 0.5 * (fr[k] + fr[b]),
      ei = 0.5 * (fi[k] - fi[b]);
    const or = 0.5 * (fi[k] + fi[b]),
      oi = -0.5 * (fr[k] - fr[b]);
    re[k] = er + wr[k] * or - wi[k] * oi;
    im[k] = ei + wr[k] * oi + wi[k] * or;
    re[b] = er + wr[b] * or + wi[b] * oi;
    im[b] = -ei - wr[b] * oi + wi[b] * or;
  }
}

/**
 * Z[k] = E[k] + i·O[k], E = (X[k] + conj X[h-k]) / 2, O = conj(w^k) (X[k] - conj X[h-k]) / 2,
 * computed for k and h-k together from the same loads.
 */
function mergeSpectrum(re: Float64Array, im: Float64Array, wr: Float64Array, wi: Float64Array, zr: Float64Array, zi: Float64Array) {
  const h = zr.length;
  for (let k = 0, b = h; k <= b; k++, b--) {
    const er = 0.5 * (re[k] + re[b]),
      ei = 0.5 * (im[k] - im[b]);
    const dr = 0.5 * (re[k] - re[b]),
      di = 0.5 * (im[k] + im[b]);
    // k < h: Z[k]
    if (k < h) {
      const or = dr * wr[k] + di * wi[k],
        oi = di * wr[k] - dr * wi[k];
      zr[k] = er - oi;
      zi[k] = ei + or;
    }
    // b in (0, h) and b != k: Z[b] from E[b] = conj E[k], D[b] = -conj D[k]
    if (b < h && b > k) {
      const or = -dr * wr[b] + di * wi[b],
        oi = di * wr[b] + dr * wi[b];
      zr[b] = er - oi;
      zi[b] = -ei + or;
    }
  }
}

/** x[2k] = s·Re z[k], x[2k+1] = s·Im z[k]. */
function unpackPairs(zr: Float64Array, zi: Float64Array, scale: number, out: Float64Array) {
  for (let k = 0; k < zr.length; k++) ((out[2 * k] = zr[k] * scale), (out[2 * k + 1] = zi[k] * scale));
}
