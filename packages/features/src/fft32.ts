/**
 * Float32 real FFTs through PFFFT (J. Pommier's SIMD FFT, BSD licence; the WASM SIMD build of
 * @echogarden/pffft-wasm): ~3.5x faster than fft.ts at n = 2048. Meant for the mel STFT, where
 * float32 rounding (~2e-7 of the frame's largest bin) is far below what a log-Mel resolves; the
 * resampler and the phase vocoder keep fft.ts's float64. Lengths PFFFT cannot do (it needs a
 * multiple of 32 with no prime factor above 5) run through fft.ts and are rounded to float32.
 */
import PFFFT from '@echogarden/pffft-wasm/simd';
import { realFft } from './fft.ts';

// One instance per thread, made when this module loads (a few ms, also in each pool worker).
const wasm = await PFFFT();

/** A real FFT of length n on float32 data held in WASM memory. */
export interface RealFft32 {
  readonly n: number;
  /** Buffer to write the next input frame into (n samples). */
  input(): Float32Array;
  /** Spectrum of input(), PFFFT's ordered layout: [X0, X(n/2), Re X1, Im X1, Re X2, Im X2, ...]. */
  forward(): Float32Array;
}

const PFFFT_REAL = 0, PFFFT_FORWARD = 0;
const plans = new Map<number, RealFft32>();

/** Cached float32 real FFT plan for even length n. */
export function realFft32(n: number): RealFft32 {
  let plan = plans.get(n);
  if (!plan) plans.set(n, (plan = buildRealFft32(n)));
  return plan;
}

function buildRealFft32(n: number): RealFft32 {
  if (!Number.isInteger(n) || n < 2 || n % 2) throw new Error(`real FFT length must be even and >= 2, got ${n}`);
  const setup = n % 32 === 0 ? wasm._pffft_new_setup(n, PFFFT_REAL) : 0;
  if (!setup) return float64Fallback(n);
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
    n,
    input: () => (views(), inView),
    forward() {
      wasm._pffft_transform_ordered(setup, inPtr, outPtr, workPtr, PFFFT_FORWARD);
      views();
      return outView;
    },
  };
}

/** The same interface over fft.ts, for lengths PFFFT does not support. */
function float64Fallback(n: number): RealFft32 {
  const fft = realFft(n);
  const input = new Float32Array(n), out = new Float32Array(n);
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
  };
}
