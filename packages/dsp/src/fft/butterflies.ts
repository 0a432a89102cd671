/**
 * The passes of the Stockham FFT (plan.ts), one decimation-in-frequency butterfly per radix:
 * radix 4, 2, 3, 5 and 7 unrolled, any other odd prime r by pairing x_k with x_{r-k}.
 */

/** One pass of a plan: the radix, where it sits in the factorisation, and its twiddles. */
export interface Stage {
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

/** One Stockham DIF pass: y[q + s(rp + j)] = w^(pj) · DFT_r(x[q + s(p + km)])_j. */
export function runStage(st: Stage, xr: Float64Array, xi: Float64Array, yr: Float64Array, yi: Float64Array, tRe: Float64Array, tIm: Float64Array) {
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

function radix2(st: Stage, xr: Float64Array, xi: Float64Array, yr: Float64Array, yi: Float64Array) {
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

function radix3(st: Stage, xr: Float64Array, xi: Float64Array, yr: Float64Array, yi: Float64Array) {
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

function radix5(st: Stage, xr: Float64Array, xi: Float64Array, yr: Float64Array, yi: Float64Array) {
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

function radix7(st: Stage, xr: Float64Array, xi: Float64Array, yr: Float64Array, yi: Float64Array) {
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
