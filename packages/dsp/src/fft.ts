/**
 * Float64 FFTs of any length: a Stockham autosort mixed-radix FFT (radix 4, 2, 3, 5, 7 butterflies,
 * a generic odd-prime butterfly for the rest; Van Loan, "Computational Frameworks for the FFT", 1992),
 * and a real FFT of even length by packing into a half-length complex FFT (Numerical Recipes §12.3).
 * Cost is O(n · sum of prime factors): use `nextFastLength` to pad to a 2·3·5·7-smooth length.
 * Plans (twiddles) are built once per length and cached.
 */
import { cachedPlan } from './lru.ts';

interface Stage {
  radix: number;
  /** Length of the sub-transform this stage splits (n / product of earlier radices). */
  span: number;
  /** Stride between interleaved sub-transforms (product of earlier radices). */
  stride: number;
  /** Twiddles w^(p·j) for p < span/radix, j = 1..radix-1, interleaved [re, im]. */
  twiddles: Float64Array;
  /** e^{-2πi e/radix}, e < radix (generic odd-prime butterfly). */
  rootRe: Float64Array;
  rootIm: Float64Array;
}

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

/** Smallest m >= n whose prime factors are all in {2, 3, 5, 7} (fast FFT lengths). */
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
    const rootRe = new Float64Array(radix), rootIm = new Float64Array(radix);
    for (let e = 0; e < radix; e++) (rootRe[e] = Math.cos((-2 * Math.PI * e) / radix)), (rootIm[e] = Math.sin((-2 * Math.PI * e) / radix));
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
    let xr: Float64Array = re, xi: Float64Array = im, yr: Float64Array = bRe, yi: Float64Array = bIm;
    for (const st of stages) {
      runStage(st, xr, xi, yr, yi, tRe, tIm);
      const tr = xr, ti = xi;
      (xr = yr), (xi = yi), (yr = tr), (yi = ti);
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
      for (let k = 0; k < n; k++) (re[k] *= s), (im[k] *= s);
    },
  };
}

/** One Stockham DIF pass: y[q + s(rp + j)] = w^(pj) · DFT_r(x[q + s(p + km)])_j. */
function runStage(st: Stage, xr: Float64Array, xi: Float64Array, yr: Float64Array, yi: Float64Array, tRe: Float64Array, tIm: Float64Array) {
  // One small function per radix keeps each hot loop monomorphic and optimisable on its own.
  const kernel = st.radix === 4 ? radix4 : st.radix === 2 ? radix2 : st.radix === 3 ? radix3 : st.radix === 5 ? radix5 : st.radix === 7 ? radix7 : radixOdd;
  kernel(st, xr, xi, yr, yi, tRe, tIm);
}

function radix4(st: Stage, xr: Float64Array, xi: Float64Array, yr: Float64Array, yi: Float64Array) {
  const { span, stride: s, twiddles: w } = st;
  const m = span / 4;
  const sm = s * m;
  if (s === 1) {
    // First pass: no inner loop, contiguous outputs.
    for (let p = 0, o = 0; p < m; p++, o += 4) {
      const ar = xr[p], ai = xi[p], br = xr[p + m], bi = xi[p + m];
      const cr = xr[p + 2 * m], ci = xi[p + 2 * m], dr = xr[p + 3 * m], di = xi[p + 3 * m];
      const t0r = ar + cr, t0i = ai + ci, t1r = ar - cr, t1i = ai - ci;
      const t2r = br + dr, t2i = bi + di, t3r = bi - di, t3i = dr - br;
      const w1r = w[6 * p], w1i = w[6 * p + 1], w2r = w[6 * p + 2], w2i = w[6 * p + 3], w3r = w[6 * p + 4], w3i = w[6 * p + 5];
      yr[o] = t0r + t2r;
      yi[o] = t0i + t2i;
      let ur = t1r + t3r, ui = t1i + t3i;
      yr[o + 1] = ur * w1r - ui * w1i;
      yi[o + 1] = ur * w1i + ui * w1r;
      ur = t0r - t2r;
      ui = t0i - t2i;
      yr[o + 2] = ur * w2r - ui * w2i;
      yi[o + 2] = ur * w2i + ui * w2r;
      ur = t1r - t3r;
      ui = t1i - t3i;
      yr[o + 3] = ur * w3r - ui * w3i;
      yi[o + 3] = ur * w3i + ui * w3r;
    }
    return;
  }
  for (let p = 0; p < m; p++) {
    const w1r = w[6 * p], w1i = w[6 * p + 1], w2r = w[6 * p + 2], w2i = w[6 * p + 3], w3r = w[6 * p + 4], w3i = w[6 * p + 5];
    const i0 = s * p, o0 = s * 4 * p;
    for (let q = 0; q < s; q++) {
      const a = i0 + q;
      const ar = xr[a], ai = xi[a], br = xr[a + sm], bi = xi[a + sm];
      const cr = xr[a + 2 * sm], ci = xi[a + 2 * sm], dr = xr[a + 3 * sm], di = xi[a + 3 * sm];
      const t0r = ar + cr, t0i = ai + ci, t1r = ar - cr, t1i = ai - ci;
      const t2r = br + dr, t2i = bi + di, t3r = bi - di, t3i = dr - br; // t3 = -i(b - d)
      const o = o0 + q;
      yr[o] = t0r + t2r;
      yi[o] = t0i + t2i;
      let ur = t1r + t3r, ui = t1i + t3i;
      yr[o + s] = ur * w1r - ui * w1i;
      yi[o + s] = ur * w1i + ui * w1r;
      ur = t0r - t2r;
      ui = t0i - t2i;
      yr[o + 2 * s] = ur * w2r - ui * w2i;
      yi[o + 2 * s] = ur * w2i + ui * w2r;
      ur = t1r - t3r;
      ui = t1i - t3i;
      yr[o + 3 * s] = ur * w3r - ui * w3i;
      yi[o + 3 * s] = ur * w3i + ui * w3r;
    }
  }
}

function radix2(st: Stage, xr: Float64Array, xi: Float64Array, yr: Float64Array, yi: Float64Array, tRe: Float64Array, tIm: Float64Array) {
  const { radix: r, span, stride: s, twiddles: w } = st;
  const m = span / r;
  const sm = s * m;
  for (let p = 0; p < m; p++) {
    const wr = w[2 * p], wi = w[2 * p + 1];
    const i0 = s * p, o0 = 2 * s * p;
    for (let q = 0; q < s; q++) {
      const a = i0 + q, o = o0 + q;
      const ar = xr[a], ai = xi[a], br = xr[a + sm], bi = xi[a + sm];
      yr[o] = ar + br;
      yi[o] = ai + bi;
      const ur = ar - br, ui = ai - bi;
      yr[o + s] = ur * wr - ui * wi;
      yi[o + s] = ur * wi + ui * wr;
    }
  }
}

function radix3(st: Stage, xr: Float64Array, xi: Float64Array, yr: Float64Array, yi: Float64Array, tRe: Float64Array, tIm: Float64Array) {
  const { radix: r, span, stride: s, twiddles: w } = st;
  const m = span / r;
  const sm = s * m;
  const c = -0.5, d = -Math.sqrt(3) / 2;
  for (let p = 0; p < m; p++) {
    const w1r = w[4 * p], w1i = w[4 * p + 1], w2r = w[4 * p + 2], w2i = w[4 * p + 3];
    const i0 = s * p, o0 = 3 * s * p;
    for (let q = 0; q < s; q++) {
      const a = i0 + q, o = o0 + q;
      const ar = xr[a], ai = xi[a], br = xr[a + sm], bi = xi[a + sm], cr = xr[a + 2 * sm], ci = xi[a + 2 * sm];
      const sr = br + cr, si = bi + ci, dr = br - cr, di = bi - ci;
      yr[o] = ar + sr;
      yi[o] = ai + si;
      const mr = ar + c * sr, mi = ai + c * si;
      // ±i·d·(b - c)
      const u1r = mr - d * di, u1i = mi + d * dr, u2r = mr + d * di, u2i = mi - d * dr;
      yr[o + s] = u1r * w1r - u1i * w1i;
      yi[o + s] = u1r * w1i + u1i * w1r;
      yr[o + 2 * s] = u2r * w2r - u2i * w2i;
      yi[o + 2 * s] = u2r * w2i + u2i * w2r;
    }
  }
}

function radix5(st: Stage, xr: Float64Array, xi: Float64Array, yr: Float64Array, yi: Float64Array, tRe: Float64Array, tIm: Float64Array) {
  const { radix: r, span, stride: s, twiddles: w } = st;
  const m = span / r;
  const sm = s * m;
  // Winograd-style radix 5: c1 = cos(2π/5), c2 = cos(4π/5), s1 = sin(2π/5), s2 = sin(4π/5).
  const c1 = Math.cos((2 * Math.PI) / 5), c2 = Math.cos((4 * Math.PI) / 5);
  const s1 = Math.sin((2 * Math.PI) / 5), s2 = Math.sin((4 * Math.PI) / 5);
  for (let p = 0; p < m; p++) {
    const wb = 8 * p;
    const w1r = w[wb], w1i = w[wb + 1], w2r = w[wb + 2], w2i = w[wb + 3];
    const w3r = w[wb + 4], w3i = w[wb + 5], w4r = w[wb + 6], w4i = w[wb + 7];
    const i0 = s * p, o0 = 5 * s * p;
    for (let q = 0; q < s; q++) {
      const a = i0 + q, o = o0 + q;
      const x0r = xr[a], x0i = xi[a];
      const x1r = xr[a + sm], x1i = xi[a + sm], x2r = xr[a + 2 * sm], x2i = xi[a + 2 * sm];
      const x3r = xr[a + 3 * sm], x3i = xi[a + 3 * sm], x4r = xr[a + 4 * sm], x4i = xi[a + 4 * sm];
      const p1r = x1r + x4r, p1i = x1i + x4i, m1r = x1r - x4r, m1i = x1i - x4i;
      const p2r = x2r + x3r, p2i = x2i + x3i, m2r = x2r - x3r, m2i = x2i - x3i;
      yr[o] = x0r + p1r + p2r;
      yi[o] = x0i + p1i + p2i;
      const ar = x0r + c1 * p1r + c2 * p2r, ai = x0i + c1 * p1i + c2 * p2i;
      const br = x0r + c2 * p1r + c1 * p2r, bi = x0i + c2 * p1i + c1 * p2i;
      // -i·(s1·m1 + s2·m2) and -i·(s2·m1 - s1·m2)
      const cr = s1 * m1i + s2 * m2i, ci = -(s1 * m1r + s2 * m2r);
      const dr = s2 * m1i - s1 * m2i, di = -(s2 * m1r - s1 * m2r);
      let ur = ar + cr, ui = ai + ci;
      yr[o + s] = ur * w1r - ui * w1i;
      yi[o + s] = ur * w1i + ui * w1r;
      ur = br + dr;
      ui = bi + di;
      yr[o + 2 * s] = ur * w2r - ui * w2i;
      yi[o + 2 * s] = ur * w2i + ui * w2r;
      ur = br - dr;
      ui = bi - di;
      yr[o + 3 * s] = ur * w3r - ui * w3i;
      yi[o + 3 * s] = ur * w3i + ui * w3r;
      ur = ar - cr;
      ui = ai - ci;
      yr[o + 4 * s] = ur * w4r - ui * w4i;
      yi[o + 4 * s] = ur * w4i + ui * w4r;
    }
  }
}

function radix7(st: Stage, xr: Float64Array, xi: Float64Array, yr: Float64Array, yi: Float64Array, tRe: Float64Array, tIm: Float64Array) {
  const { radix: r, span, stride: s, twiddles: w } = st;
  const m = span / r;
  const sm = s * m;
  // The odd-radix pairing below, unrolled: radix 7 is in every 48000 -> 22050 output length.
  const c1 = Math.cos((2 * Math.PI) / 7), c2 = Math.cos((4 * Math.PI) / 7), c3 = Math.cos((6 * Math.PI) / 7);
  const s1 = Math.sin((2 * Math.PI) / 7), s2 = Math.sin((4 * Math.PI) / 7), s3 = Math.sin((6 * Math.PI) / 7);
  for (let p = 0; p < m; p++) {
    const wb = 12 * p;
    const i0 = s * p, o0 = 7 * s * p;
    for (let q = 0; q < s; q++) {
      const a = i0 + q, o = o0 + q;
      const x0r = xr[a], x0i = xi[a];
      const x1r = xr[a + sm], x1i = xi[a + sm], x6r = xr[a + 6 * sm], x6i = xi[a + 6 * sm];
      const x2r = xr[a + 2 * sm], x2i = xi[a + 2 * sm], x5r = xr[a + 5 * sm], x5i = xi[a + 5 * sm];
      const x3r = xr[a + 3 * sm], x3i = xi[a + 3 * sm], x4r = xr[a + 4 * sm], x4i = xi[a + 4 * sm];
      const p1r = x1r + x6r, p1i = x1i + x6i, m1r = x1r - x6r, m1i = x1i - x6i;
      const p2r = x2r + x5r, p2i = x2i + x5i, m2r = x2r - x5r, m2i = x2i - x5i;
      const p3r = x3r + x4r, p3i = x3i + x4i, m3r = x3r - x4r, m3i = x3i - x4i;
      yr[o] = x0r + p1r + p2r + p3r;
      yi[o] = x0i + p1i + p2i + p3i;
      const a1r = x0r + c1 * p1r + c2 * p2r + c3 * p3r, a1i = x0i + c1 * p1i + c2 * p2i + c3 * p3i;
      const a2r = x0r + c2 * p1r + c3 * p2r + c1 * p3r, a2i = x0i + c2 * p1i + c3 * p2i + c1 * p3i;
      const a3r = x0r + c3 * p1r + c1 * p2r + c2 * p3r, a3i = x0i + c3 * p1i + c1 * p2i + c2 * p3i;
      const b1r = s1 * m1r + s2 * m2r + s3 * m3r, b1i = s1 * m1i + s2 * m2i + s3 * m3i;
      const b2r = s2 * m1r - s3 * m2r - s1 * m3r, b2i = s2 * m1i - s3 * m2i - s1 * m3i;
      const b3r = s3 * m1r - s1 * m2r + s2 * m3r, b3i = s3 * m1i - s1 * m2i + s2 * m3i;
      let ur: number, ui: number, wr: number, wi: number;
      ur = a1r + b1i;
      ui = a1i - b1r;
      wr = w[wb + 0];
      wi = w[wb + 1];
      yr[o + 1 * s] = ur * wr - ui * wi;
      yi[o + 1 * s] = ur * wi + ui * wr;
      ur = a1r - b1i;
      ui = a1i + b1r;
      wr = w[wb + 10];
      wi = w[wb + 11];
      yr[o + 6 * s] = ur * wr - ui * wi;
      yi[o + 6 * s] = ur * wi + ui * wr;
      ur = a2r + b2i;
      ui = a2i - b2r;
      wr = w[wb + 2];
      wi = w[wb + 3];
      yr[o + 2 * s] = ur * wr - ui * wi;
      yi[o + 2 * s] = ur * wi + ui * wr;
      ur = a2r - b2i;
      ui = a2i + b2r;
      wr = w[wb + 8];
      wi = w[wb + 9];
      yr[o + 5 * s] = ur * wr - ui * wi;
      yi[o + 5 * s] = ur * wi + ui * wr;
      ur = a3r + b3i;
      ui = a3i - b3r;
      wr = w[wb + 4];
      wi = w[wb + 5];
      yr[o + 3 * s] = ur * wr - ui * wi;
      yi[o + 3 * s] = ur * wi + ui * wr;
      ur = a3r - b3i;
      ui = a3i + b3r;
      wr = w[wb + 6];
      wi = w[wb + 7];
      yr[o + 4 * s] = ur * wr - ui * wi;
      yi[o + 4 * s] = ur * wi + ui * wr;
    }
  }
}

function radixOdd(st: Stage, xr: Float64Array, xi: Float64Array, yr: Float64Array, yi: Float64Array, tRe: Float64Array, tIm: Float64Array) {
  const { radix: r, span, stride: s, twiddles: w } = st;
  const m = span / r;
  const sm = s * m;
  // Odd radix r (11 and larger primes), pairing x_k with x_{r-k}: for j = 1..(r-1)/2,
  // y_j = A_j - i·B_j and y_{r-j} = A_j + i·B_j with A_j = x0 + Σ cos(2πjk/r)(x_k + x_{r-k}),
  // B_j = Σ sin(2πjk/r)(x_k - x_{r-k}); about a quarter of the multiplies of a direct DFT.
  const { rootRe: cs, rootIm: sn } = st;
  const h = (r - 1) >> 1;
  for (let p = 0; p < m; p++) {
    const i0 = s * p, o0 = r * s * p, wBase = 2 * p * (r - 1);
    for (let q = 0; q < s; q++) {
      const a = i0 + q, o = o0 + q;
      const x0r = xr[a], x0i = xi[a];
      let sumR = x0r, sumI = x0i;
      for (let k = 1; k <= h; k++) {
        const ur = xr[a + k * sm], ui = xi[a + k * sm], vr = xr[a + (r - k) * sm], vi = xi[a + (r - k) * sm];
        tRe[k] = ur + vr; // P_k
        tIm[k] = ui + vi;
        tRe[h + k] = ur - vr; // M_k
        tIm[h + k] = ui - vi;
        sumR += ur + vr;
        sumI += ui + vi;
      }
      yr[o] = sumR;
      yi[o] = sumI;
      for (let j = 1; j <= h; j++) {
        let ar = x0r, ai = x0i, br = 0, bi = 0;
        for (let k = 1, e = j; k <= h; k++, e += j) {
          if (e >= r) e -= r;
          // cs/sn hold cos/(-sin) of 2πe/r (forward roots), so -sn[e] = sin(2πjk/r).
          ar += cs[e] * tRe[k];
          ai += cs[e] * tIm[k];
          br -= sn[e] * tRe[h + k];
          bi -= sn[e] * tIm[h + k];
        }
        let ur = ar + bi, ui = ai - br;
        let wr = w[wBase + 2 * (j - 1)], wi = w[wBase + 2 * (j - 1) + 1];
        yr[o + j * s] = ur * wr - ui * wi;
        yi[o + j * s] = ur * wi + ui * wr;
        ur = ar - bi;
        ui = ai + br;
        wr = w[wBase + 2 * (r - j - 1)];
        wi = w[wBase + 2 * (r - j - 1) + 1];
        yr[o + (r - j) * s] = ur * wr - ui * wi;
        yi[o + (r - j) * s] = ur * wi + ui * wr;
      }
    }
  }
}

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
  const zr = new Float64Array(h), zi = new Float64Array(h);
  // e^{-2πik/n}, k = 0..h
  const wr = new Float64Array(h + 1), wi = new Float64Array(h + 1);
  for (let k = 0; k <= h; k++) (wr[k] = Math.cos((-2 * Math.PI * k) / n)), (wi[k] = Math.sin((-2 * Math.PI * k) / n));
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
  for (let k = 0; k < pairs; k++) (zr[k] = x[2 * k]), (zi[k] = x[2 * k + 1]);
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
    const er = 0.5 * (fr[k] + fr[b]), ei = 0.5 * (fi[k] - fi[b]);
    const or = 0.5 * (fi[k] + fi[b]), oi = -0.5 * (fr[k] - fr[b]);
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
    const er = 0.5 * (re[k] + re[b]), ei = 0.5 * (im[k] - im[b]);
    const dr = 0.5 * (re[k] - re[b]), di = 0.5 * (im[k] + im[b]);
    // k < h: Z[k]
    if (k < h) {
      const or = dr * wr[k] + di * wi[k], oi = di * wr[k] - dr * wi[k];
      zr[k] = er - oi;
      zi[k] = ei + or;
    }
    // b in (0, h) and b != k: Z[b] from E[b] = conj E[k], D[b] = -conj D[k]
    if (b < h && b > k) {
      const or = -dr * wr[b] + di * wi[b], oi = di * wr[b] + dr * wi[b];
      zr[b] = er - oi;
      zi[b] = -ei + or;
    }
  }
}

/** x[2k] = s·Re z[k], x[2k+1] = s·Im z[k]. */
function unpackPairs(zr: Float64Array, zi: Float64Array, scale: number, out: Float64Array) {
  for (let k = 0; k < zr.length; k++) (out[2 * k] = zr[k] * scale), (out[2 * k + 1] = zi[k] * scale);
}
