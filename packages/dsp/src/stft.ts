/**
 * Complex STFT / ISTFT with librosa 0.10 semantics (core.stft / core.istft): periodic Hann window,
 * centred frames with zero padding, float64 FFTs whose results are stored as complex64 (or, when
 * bit-level agreement is not needed, float32 PFFFT), and an inverse (float32 PFFFT) that
 * overlap-adds into float32 and divides by the window sum-square envelope.
 */
import { atan2fArray } from './atan2f.ts';
import { realFft } from './fft/real.ts';
import { realFft32 } from './fft/pffft.ts';
import { hannWindow } from './window.ts';

/** Complex64 spectrogram, frame-major: bin k of frame t at `t * bins + k`. */
export interface Spectrogram {
  re: Float32Array;
  im: Float32Array;
  bins: number;
  frames: number;
}

export interface StftOptions {
  /** FFT size (= window length); default 2048. */
  nFft?: number;
  /** Hop in samples; default nFft / 4 (librosa's default). */
  hopLength?: number;
}

const resolve = ({ nFft = 2048, hopLength }: StftOptions) => ({ nFft, hop: hopLength ?? Math.floor(nFft / 4) });

/** Number of centred STFT frames of n samples (center=True): 1 + floor(n / hop). */
export function frameCount(n: number, hopLength: number): number {
  return 1 + Math.floor(n / hopLength);
}

/**
 * |D| and angle(D) of D = librosa.stft(y, n_fft, hop_length, center=True, pad_mode='constant')
 * (1 + floor(len / hop) frames), as numpy computes np.abs / np.angle on the complex64 STFT:
 * in float32. What the phase vocoder reads; one analysis serves every stretch of a clip.
 */
export interface PolarSpectrogram {
  mag: Float32Array;
  phase: Float32Array;
  bins: number;
  frames: number;
}

export interface AnalysisOptions extends StftOptions {
  /**
   * Default true: float64 FFTs rounded to complex64, as numpy, so time stretch agrees with librosa
   * to float rounding (its float32 phase accumulator amplifies any one-ulp difference of the STFT
   * into a phase step). false: float32 PFFFT, ~3x faster, for callers that are compared with
   * librosa perceptually anyway (pitch shift, whose resampler is not soxr).
   */
  exact?: boolean;
}

/** frame[i] = window[i] · y[start + i] (float64, as numpy's product), zero outside y (centred frames at the edges). */
function windowedFrame(y: Float32Array, start: number, window: Float64Array, frame: Float64Array) {
  const from = Math.max(0, -start),
    to = Math.min(frame.length, y.length - start);
  frame.fill(0, 0, from);
  frame.fill(0, Math.max(from, to));
  for (let i = from; i < to; i++) frame[i] = window[i] * y[start + i];
}

/** Grow-only scratch for the complex64 STFT of stftPolar (fresh arrays of this size cost page faults and GC). */
let scratch = new Float32Array(0);

/** `out`: arrays of frames · bins floats to write mag and phase into, instead of fresh ones. */
export function stftPolar(y: Float32Array, opts: AnalysisOptions = {}, out: { mag?: Float32Array; phase?: Float32Array } = {}): PolarSpectrogram {
  const { nFft, hop } = resolve(opts);
  const bins = nFft / 2 + 1;
  const frames = frameCount(y.length, hop);
  const size = frames * bins;
  const { mag = new Float32Array(size), phase = new Float32Array(size) } = out;
  if (mag.length !== size || phase.length !== size) throw new Error(`stftPolar: output arrays must hold ${frames} frames x ${bins} bins`);
  if (scratch.length < 2 * size) scratch = new Float32Array(2 * size);
  const re = scratch.subarray(0, size),
    im = scratch.subarray(size, 2 * size); // the complex64 STFT
  const window = hannWindow(nFft);
  const frame = new Float64Array(nFft);
  if (opts.exact ?? true) {
    const fft = realFft(nFft);
    const bufRe = new Float64Array(bins);
    const bufIm = new Float64Array(bins);
    for (let t = 0, o = 0; t < frames; t++, o += bins) {
      windowedFrame(y, t * hop - nFft / 2, window, frame);
      fft.forward(frame, bufRe, bufIm);
      for (let k = 0; k < bins; k++) ((re[o + k] = bufRe[k]), (im[o + k] = bufIm[k]));
    }
  } else {
    const fft = realFft32(nFft);
    for (let t = 0, o = 0; t < frames; t++, o += bins) {
      windowedFrame(y, t * hop - nFft / 2, window, frame);
      fft.input().set(frame);
      const X = fft.forward(); // PFFFT's ordered layout: [X0, X(n/2), Re X1, Im X1, ...]
      re[o] = X[0];
      im[o] = 0;
      re[o + bins - 1] = X[1];
      im[o + bins - 1] = 0;
      for (let k = 1; k < bins - 1; k++) ((re[o + k] = X[2 * k]), (im[o + k] = X[2 * k + 1]));
    }
  }
  for (let i = 0; i < size; i++) mag[i] = Math.sqrt(re[i] * re[i] + im[i] * im[i]);
  return { mag, phase: atan2fArray(im, re, phase), bins, frames };
}

/**
 * librosa.istft(S, hop_length, center=True, length): windowed inverse FFTs overlap-added in frame
 * order into float32, then divided by the float32 window sum-square where it exceeds float32 tiny.
 * The inverse FFTs run in float32 (PFFFT; numpy: float64): nothing downstream accumulates their
 * rounding, so it costs about one float32 ulp of each frame's peak.
 */
export function istft(S: Spectrogram, length: number, opts: StftOptions = {}): Float32Array {
  const { nFft, hop } = resolve(opts);
  if (S.bins !== nFft / 2 + 1) throw new Error(`istft: ${S.bins} bins do not match nFft ${nFft}`);
  const half = nFft / 2;
  const frames = Math.min(S.frames, Math.ceil((length + nFft) / hop));
  const window = hannWindow(nFft);
  const fft = realFft32(nFft);
  const y = new Float32Array(length);
  for (let t = 0; t < frames; t++) {
    const o = t * S.bins;
    // PFFFT's ordered layout; irfft ignores the imaginary parts of DC and Nyquist.
    const X = fft.input();
    X[0] = S.re[o];
    X[1] = S.re[o + half];
    for (let k = 1; k < half; k++) ((X[2 * k] = S.re[o + k]), (X[2 * k + 1] = S.im[o + k]));
    const frame = fft.inverse();
    const start = t * hop - half;
    const from = Math.max(0, -start);
    const to = Math.min(nFft, length - start);
    for (let i = from; i < to; i++) y[start + i] += window[i] * frame[i];
  }
  const envelope = windowSumSquare(window, hop, frames, length);
  const tiny = 1.1754943508222875e-38;
  for (let j = 0; j < length; j++) if (envelope[j] > tiny) y[j] /= envelope[j];
  return y;
}

/**
 * librosa.filters.window_sumsquare of `frames` frames (frame t starts at t·hop - n/2) over
 * `length` samples, accumulated in float32 in frame order as istft does. Where all n/hop frames
 * overlap the sum depends only on (j + n/2) mod hop, so one hop of it is tabulated.
 */
export function windowSumSquare(window: Float64Array, hop: number, frames: number, length: number): Float32Array {
  const n = window.length,
    half = n / 2,
    overlap = n % hop === 0 ? n / hop : 0; // 0: no table
  const f32 = Math.fround;
  const steady = new Float32Array(hop);
  for (let r = 0; r < hop; r++) for (let m = overlap - 1; m >= 0; m--) steady[r] = steady[r] + window[r + m * hop] ** 2;
  const out = new Float32Array(length);
  // Samples j with all n/hop frames overlapping: j + n/2 in [n - hop, frames·hop).
  const lo = overlap ? Math.max(0, half - hop) : length,
    hi = overlap ? Math.min(length, frames * hop - half) : length;
  for (let j = lo, r = (lo + half) % hop; j < hi; j++, r = r + 1 === hop ? 0 : r + 1) out[j] = steady[r];
  // The edges, frame by frame.
  const edge = (from: number, to: number) => {
    for (let j = from; j < to; j++) {
      const at = j + half;
      const last = Math.min(frames - 1, Math.floor(at / hop)),
        first = Math.max(0, Math.ceil((at - n + 1) / hop));
      for (let t = first; t <= last; t++) out[j] = f32(out[j] + window[at - t * hop] ** 2);
    }
  };
  edge(0, lo);
  edge(Math.max(lo, hi), length);
  return out;
}
