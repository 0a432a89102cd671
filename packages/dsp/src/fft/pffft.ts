/**
 * Float32 real FFTs through PFFFT (J. Pommier's SIMD FFT, BSD licence; the WASM SIMD build of
 * @echogarden/pffft-wasm): ~3.5x faster than the float64 real FFT (real.ts) at n = 2048. For the mel
 * STFT and the resampler's transforms, where float32 rounding (~1e-7 of the largest bin) is far below
 * what a log-Mel resolves and below the resampler's own -118 dB; time stretch's analysis keeps the
 * float64 FFT (it reproduces librosa to float rounding). Lengths PFFFT cannot do (it needs a multiple
 * of 32 with no prime factor above 5) run through the float64 FFT, rounded to float32.
 */
import PFFFT from '@echogarden/pffft-wasm/simd';
import { realFft } from './real.ts';
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

const PFFFT_REAL = 0,
  PFFFT_FORWARD = 0,
  PFFFT_BACKWARD = 1;
const plans = new Map<number, RealFft32 & { release(): void }>();

/** Whether PFFFT runs real transforms of length n (others take the float64 fallback). */
export const pffftLength = (n: number) =>
  n % 32 === 0 &&
  [2, 3, 5].reduce((r, p) => {
    while (r % p === 0) r /= p;
    return r;
  }, n) === 1;

/** Cached float32 real FFT plan for even length n. */
export function realFft32(n: number): RealFft32 {
  return cachedPlan(plans, n, buildRealFft32, (plan) => plan.release());
}

function buildRealFft32(n: number): RealFft32 & { release(): void } {
  if (!Number.isInteger(n) || n < 2 || n % 2) throw new Error(`real FFT length must be even and >= 2, got ${n}`);
  if (!pffftLength(n)) return float64Fallback(n);
  const setup = wasm._pffft_new_setup(n, PFFFT_REAL);
  const [inPtr, outPtr, workPtr] = [0, 1, 2].map(() => wasm._pffft_aligned_malloc(4 * n));
  // Views of WASM memory are detached when it grows (another plan's allocation): re-derive then.
  let heap: ArrayBuffer | null = null,
    inView = new Float32Array(0),
    outView = new Float32Array(0);
  const views = () => {
    if (heap !== wasm.HEAPF32.buffer) {
      heap = wasm.HEAPF32.buffer;
      inView = new Float32Array(heap, inPtr, n);
      outView = new Float32Array(heap, outPtr, n);
    }
  };
  return {
    n,
    input: () => (views(), inView),
    forward() {
      wasm._pffft_transform_ordered(setup, inPtr, outPtr, workPtr, PFFFT_FORWARD);
      views();
      return outView;
    },
    inverse() {
      wasm._pffft_transform_ordered(setup, inPtr, outPtr, workPtr, PFFFT_BACKWARD);
      views();
      const s = 1 / n;
      for (let i = 0; i < n; i++) outView[i] *= s;
      return outView;
    },
    release() {
      wasm._pffft_destroy_setup(setup);
      for (const p of [inPtr, outPtr, workPtr]) wasm._pffft_aligned_free(p);
    },
  };
}

/** The same interface over the float64 real FFT (real.ts), for lengths PFFFT does not support. */
function float64Fallback(n: number): RealFft32 & { release(): void } {
  const fft = realFft(n);
  const input = new Float32Array(n),
    out = new Float32Array(n),
    y = new Float64Array(n);
  const re = new Float64Array(n / 2 + 1),
    im = new Float64Array(n / 2 + 1);
  return {
    n,
    input: () => input,
    forward() {
      fft.forward(input, re, im);
      out[0] = re[0];
      out[1] = re[n / 2];
      for (let k = 1; k < n / 2; k++) ((out[2 * k] = re[k]), (out[2 * k + 1] = im[k]));
      return out;
    },
    inverse() {
      re[0] = input[0];
      re[n / 2] = input[1];
      im[0] = im[n / 2] = 0;
      for (let k = 1; k < n / 2; k++) ((re[k] = input[2 * k]), (im[k] = input[2 * k + 1]));
      fft.inverse(re, im, y);
      out.set(y);
      return out;
    },
    release() {},
  };
}
