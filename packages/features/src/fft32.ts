/**
 * Float32 real FFTs through PFFFT (J. Pommier's SIMD FFT, BSD licence; the WASM SIMD build of
 * @echogarden/pffft-wasm): ~3.5x faster than fft.ts at n = 2048. For the mel STFT and the
 * resampler's transforms, where float32 rounding (~1e-7 of the largest bin) is far below what a
 * log-Mel resolves and below the resampler's own -118 dB; the phase vocoder keeps fft.ts's
 * float64. PFFFT needs a multiple of 32 with no prime factor above 5; a length F·L with such an L
 * and F = 7^e (the 48 kHz -> 22.05 kHz resampler's inverse has 7²) is split into F PFFFT
 * transforms of length L and L/2 + 1 F-point DFTs (one Cooley-Tukey step, Cooley & Tukey 1965).
 * Other lengths run through fft.ts, rounded to float32.
 */
import PFFFT from '@echogarden/pffft-wasm/simd';
import { complexFft, realFft } from './fft.ts';
import { cachedPlan } from './lru.ts';

// One instance per thread, made when this module loads (a few ms, also in each pool worker).
const wasm = await PFFFT();

/** A real FFT of length n on float32 data held in WASM memory. */
export interface RealFft32 {
  readonly n: number;
  /** Buffer to write the next input into: n samples, or a spectrum in the ordered layout below. */
  input(): Float32Array;
  /** Spectrum of input(), PFFFT's ordered layout: [X0, X(n/2), Re X1, Im X1, Re X2, Im X2, ...]. */
  forward(): Float32Array;
  /** Real signal (n samples) from the ordered spectrum in input(), scaled by 1/n. */
  inverse(): Float32Array;
}

const PFFFT_REAL = 0, PFFFT_FORWARD = 0, PFFFT_BACKWARD = 1;
const plans = new Map<number, RealFft32 & { release(): void }>();

/** Whether PFFFT runs real transforms of length n: a multiple of 32 with no prime factor above 5. */
const pffftLength = (n: number) => n % 32 === 0 && [2, 3, 5].reduce((r, p) => { while (r % p === 0) r /= p; return r; }, n) === 1;

/** The power of 7 to split off n so that PFFFT does the rest (1 when n is a PFFFT length), or 0 when none does. */
export function splitFactor(n: number): number {
  for (let f = 1; n % f === 0; f *= 7) if (pffftLength(n / f)) return f;
  return 0;
}

/** Cached float32 real FFT plan for even length n. */
export function realFft32(n: number): RealFft32 {
  return cachedPlan(plans, n, buildRealFft32, (plan) => plan.release());
}

function buildRealFft32(n: number): RealFft32 & { release(): void } {
  if (!Number.isInteger(n) || n < 2 || n % 2) throw new Error(`real FFT length must be even and >= 2, got ${n}`);
  const f = splitFactor(n);
  if (f === 0) return float64Fallback(n);
  if (f > 1) return splitPlan(n, f);
  const plan = pffftPlan(n);
  return {
    n,
    input: plan.input,
    forward: () => plan.run(PFFFT_FORWARD),
    inverse() {
      const out = plan.run(PFFFT_BACKWARD);
      const s = 1 / n;
      for (let i = 0; i < n; i++) out[i] *= s;
      return out;
    },
    release: plan.release,
  };
}

/** One PFFFT setup and its WASM buffers; run() is unscaled. */
function pffftPlan(n: number) {
  const setup = wasm._pffft_new_setup(n, PFFFT_REAL);
  const [inPtr, outPtr, workPtr] = [0, 1, 2].map(() => wasm._pffft_aligned_malloc(4 * n));
  // Views of WASM memory are detached when it grows (another plan's allocation): re-derive then.
  let heap: ArrayBuffer | null = null, inView = new Float32Array(0), outView = new Float32Array(0);
  const views = () => {
    if (heap !== wasm.HEAPF32.buffer) {
      heap = wasm.HEAPF32.buffer;
      inView = new Float32Array(heap, inPtr, n);
      outView = new Float32Array(heap, outPtr, n);
    }
  };
  return {
    input: () => (views(), inView),
    run(direction: number) {
      wasm._pffft_transform_ordered(setup, inPtr, outPtr, workPtr, direction);
      views();
      return outView;
    },
    release() {
      wasm._pffft_destroy_setup(setup);
      for (const p of [inPtr, outPtr, workPtr]) wasm._pffft_aligned_free(p);
    },
  };
}

/**
 * n = F·L (F odd, L a PFFFT length): with x_r[m] = x[F·m + r] and X_r its L-point spectrum,
 * X[j + L·t] = Σ_r (w^{jr} X_r[j]) e^{-2πi·tr/F}, w = e^{-2πi/n}: F real PFFFTs of length L and
 * F-point complex DFTs for j = 0..L/2 (fft.ts, batched over j), whose outputs fill bins j + L·t and,
 * by conjugate symmetry, n - j - L·t. The inverse runs the same steps backwards.
 */
function splitPlan(n: number, F: number): RealFft32 & { release(): void } {
  const L = n / F, half = L / 2, B = half + 1;
  const inner = pffftPlan(L);
  // Element r of the DFT for j at j + B·r: every loop below runs over j, contiguously.
  const dft = complexFft(F, B);
  const re = new Float64Array(F * B), im = new Float64Array(F * B);
  // Twiddles e^{+2πi·jr/n} at j + B·r (the forward uses their conjugates).
  const wr = new Float64Array(F * B), wi = new Float64Array(F * B);
  for (let r = 0; r < F; r++)
    for (let j = 0; j <= half; j++) (wr[j + B * r] = Math.cos((2 * Math.PI * j * r) / n)), (wi[j + B * r] = Math.sin((2 * Math.PI * j * r) / n));
  const input = new Float32Array(n), out = new Float32Array(n);
  // The F sub-spectra (or sub-signals), each in PFFFT's ordered layout.
  const rows = new Float32Array(n);
  /** Slot of Re X[j] in a length-m ordered spectrum; Im X[j] follows, except for the real bins 0 and m/2 (slots 0, 1). */
  const slot = (j: number, m: number) => (j === 0 ? 0 : j === m / 2 ? 1 : 2 * j);
  return {
    n,
    input: () => input,
    forward() {
      for (let r = 0; r < F; r++) {
        const x = inner.input();
        for (let m = 0; m < L; m++) x[m] = input[F * m + r];
        rows.set(inner.run(PFFFT_FORWARD), r * L);
      }
      for (let r = 0; r < F; r++)
        for (let j = 0; j <= half; j++) {
          const k = r * L + slot(j, L), i = j + B * r;
          const a = rows[k], b = j === 0 || j === half ? 0 : rows[k + 1];
          re[i] = a * wr[i] + b * wi[i];
          im[i] = b * wr[i] - a * wi[i];
        }
      dft.forward(re, im);
      for (let t = 0; t < F; t++)
        for (let j = 0; j <= half; j++) {
          const i = j + B * t, bin = j + L * t, mirror = n - bin;
          if (bin <= n / 2) {
            const o = slot(bin, n);
            out[o] = re[i];
            if (o > 1) out[o + 1] = im[i];
          }
          if (mirror <= n / 2 && mirror !== bin) {
            const o = slot(mirror, n);
            out[o] = re[i];
            if (o > 1) out[o + 1] = -im[i];
          }
        }
      return out;
    },
    inverse() {
      for (let t = 0; t < F; t++)
        for (let j = 0; j <= half; j++) {
          const i = j + B * t, bin = j + L * t, below = bin <= n / 2;
          const o = slot(below ? bin : n - bin, n);
          re[i] = input[o];
          im[i] = o < 2 ? 0 : below ? input[o + 1] : -input[o + 1];
        }
      // Unscaled inverse DFT by the swap trick (see ComplexFft.inverse).
      dft.forward(im, re);
      for (let r = 0; r < F; r++)
        for (let j = 0; j <= half; j++) {
          const k = r * L + slot(j, L), i = j + B * r;
          rows[k] = re[i] * wr[i] - im[i] * wi[i];
          if (j !== 0 && j !== half) rows[k + 1] = re[i] * wi[i] + im[i] * wr[i];
        }
      const scale = 1 / n;
      for (let r = 0; r < F; r++) {
        inner.input().set(rows.subarray(r * L, (r + 1) * L));
        const y = inner.run(PFFFT_BACKWARD);
        for (let m = 0; m < L; m++) out[F * m + r] = y[m] * scale;
      }
      return out;
    },
    release: inner.release,
  };
}

/** The same interface over fft.ts, for lengths PFFFT does not support. */
function float64Fallback(n: number): RealFft32 & { release(): void } {
  const fft = realFft(n);
  const input = new Float32Array(n), out = new Float32Array(n), y = new Float64Array(n);
  const re = new Float64Array(n / 2 + 1), im = new Float64Array(n / 2 + 1);
  return {
    n,
    input: () => input,
    forward() {
      fft.forward(input, re, im);
      out[0] = re[0];
      out[1] = re[n / 2];
      for (let k = 1; k < n / 2; k++) (out[2 * k] = re[k]), (out[2 * k + 1] = im[k]);
      return out;
    },
    inverse() {
      re[0] = input[0];
      re[n / 2] = input[1];
      im[0] = im[n / 2] = 0;
      for (let k = 1; k < n / 2; k++) (re[k] = input[2 * k]), (im[k] = input[2 * k + 1]);
      fft.inverse(re, im, y);
      out.set(y);
      return out;
    },
    release() {},
  };
}
