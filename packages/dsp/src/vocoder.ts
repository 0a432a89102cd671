/**
 * Phase-vocoder time stretch with librosa 0.10 semantics (core.phase_vocoder, effects.time_stretch),
 * reproducing its float32 arithmetic (complex64 STFT, float32 phase accumulator, float64 phase
 * advance) so outputs agree to float rounding, not just perceptually.
 */
import { frameCount, istft, stftPolar, type AnalysisOptions, type Spectrogram, type StftOptions } from './stft.ts';

const HALF_PI_HI = 1.5703125; // π/2 rounded to 8 bits: quarter turns · HALF_PI_HI is exact
const HALF_PI_LO = Math.PI / 2 - HALF_PI_HI;
const TWO_OVER_PI = 2 / Math.PI;
/** (v + 1.5·2^52) - 1.5·2^52 rounds v (|v| < 2^51) to the nearest integer, ties to even like np.round, without a call. */
const ROUNDER = 6755399441055744;
/** cos and sin of quarter-turn q (mod 4): cos(x + qπ/2) = C·QC[q] - S·QS[q], sin = S·QC[q] + C·QS[q]. */
const QC = Float64Array.of(1, 0, -1, 0);
const QS = Float64Array.of(0, 1, 0, -1);

/**
 * What librosa.phase_vocoder reads from D, none of which depends on the rate, so one analysis
 * serves every stretch (and pitch shift) of a clip: |D| with librosa's two zero columns appended,
 * the first frame's angle, and for each pair of adjacent frames the phase increment
 * phi_advance + princarg(angle(D[t+1]) - angle(D[t]) - phi_advance) in float64.
 */
export interface VocoderAnalysis {
  bins: number;
  frames: number;
  hopLength: number;
  mag: Float32Array;
  phase0: Float32Array;
  increment: Float64Array;
}

/** Grow-only scratch for the angles, read only while the increments are computed. */
let phaseScratch = new Float32Array(0);

/** The rate-independent part of librosa.phase_vocoder for D = stft(y, n_fft, hop). */
export function vocoderAnalysis(y: Float32Array, opts: AnalysisOptions = {}): VocoderAnalysis {
  const nFft = opts.nFft ?? 2048;
  const hopLength = opts.hopLength ?? Math.floor(nFft / 4);
  const bins = nFft / 2 + 1;
  const frames = frameCount(y.length, hopLength);
  const size = frames * bins;
  const mag = new Float32Array((frames + 2) * bins); // librosa's two zero columns after the last frame
  if (phaseScratch.length < size) phaseScratch = new Float32Array(size);
  const phase = phaseScratch.subarray(0, size);
  stftPolar(y, { ...opts, nFft, hopLength }, { mag: mag.subarray(0, size), phase });
  // phi_advance = hop * fft_frequencies(sr=2π, n_fft), with rfftfreq's arithmetic: k * (1 / (n * d)).
  const binHz = 1 / (nFft * (1 / (2 * Math.PI)));
  const advance = Float64Array.from({ length: bins }, (_, k) => hopLength * (k * binHz));
  const f32 = Math.fround;
  const twoPi = 2 * Math.PI;
  const increment = new Float64Array(size);
  for (let t = 0; t < frames; t++) {
    const o = t * bins,
      next = t + 1 < frames ? o + bins : -1; // a zero column after the last frame
    for (let k = 0; k < bins; k++) {
      const a = advance[k];
      const d = f32((next < 0 ? 0 : phase[next + k]) - phase[o + k]) - a; // numpy: float32 difference, then float64
      increment[o + k] = a + (d - twoPi * (d / twoPi + ROUNDER - ROUNDER));
    }
  }
  return { bins, frames, hopLength, mag, phase0: phase.slice(0, bins), increment };
}

/** Grow-only buffer for phaseVocoder's output when the caller consumes it at once (timeStretch). */
let spectrumScratch = new Float32Array(0);

/**
 * librosa.phase_vocoder(D, rate): output frame t reads input position t * rate, interpolates
 * magnitudes linearly and advances a float32 phase accumulator by the measured increment.
 * `scratch`: write into a buffer the next call overwrites (no fresh arrays: page faults and GC).
 */
export function phaseVocoder(A: VocoderAnalysis, rate: number, scratch = false): Spectrogram {
  const { bins, frames, mag, increment } = A;
  const outFrames = Math.ceil(frames / rate); // len(np.arange(0, frames, rate))
  const acc = A.phase0.slice(); // float32 accumulator, as np.angle(D[..., 0])
  const size = outFrames * bins;
  if (scratch && spectrumScratch.length < 2 * size) spectrumScratch = new Float32Array(2 * size);
  const re = scratch ? spectrumScratch.subarray(0, size) : new Float32Array(size);
  const im = scratch ? spectrumScratch.subarray(size, 2 * size) : new Float32Array(size);
  const f32 = Math.fround;
  for (let t = 0; t < outFrames; t++) {
    const step = t * rate;
    const c0 = Math.floor(step) * bins;
    const c1 = c0 + bins;
    const alpha = step % 1;
    // numpy 1.x casts the float64 scalars to float32 against a float32 array.
    const wa = f32(alpha),
      wb = f32(1 - alpha);
    const o = t * bins;
    for (let k = 0; k < bins; k++) {
      const m = f32(f32(wb * mag[c0 + k]) + f32(wa * mag[c1 + k]));
      const a = acc[k];
      // numpy's float32 cos/sin are within a few float32 ulps, so a cos/sin good to 1e-11 serves:
      // the accumulated phase (up to ~1e5 rad) reduced by quarter turns with a two-part π/2
      // (Cody–Waite; error near 1e-14 rad) to |x| <= π/4, then Taylor polynomials to x^12 / x^13
      // (truncation < 1e-11), the quadrant applied by table, not by an unpredictable branch.
      // ~4x cheaper than Math.cos + Math.sin of the reduced argument.
      const turns = a * TWO_OVER_PI + ROUNDER - ROUNDER;
      const x = a - turns * HALF_PI_HI - turns * HALF_PI_LO;
      const q = turns & 3;
      const x2 = x * x;
      const C = 1 + x2 * (-1 / 2 + x2 * (1 / 24 + x2 * (-1 / 720 + x2 * (1 / 40320 + x2 * (-1 / 3628800 + x2 * (1 / 479001600))))));
      const S = x * (1 + x2 * (-1 / 6 + x2 * (1 / 120 + x2 * (-1 / 5040 + x2 * (1 / 362880 + x2 * (-1 / 39916800 + x2 * (1 / 6227020800)))))));
      re[o + k] = f32(C * QC[q] - S * QS[q]) * m;
      im[o + k] = f32(S * QC[q] + C * QS[q]) * m;
      acc[k] = a + increment[c0 + k];
    }
  }
  return { re, im, bins, frames: outFrames };
}

/** Python's round(): ties go to the even neighbour. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export interface TimeStretchOptions extends StftOptions {
  /** vocoderAnalysis(y) with the same nFft/hop, when several stretches of one clip share it. */
  analysis?: VocoderAnalysis;
}

/**
 * librosa.effects.time_stretch(y, rate): rate > 1 speeds up; the output has round(len / rate) samples.
 * Defaults n_fft 2048, hop 512.
 */
export function timeStretch(y: Float32Array, rate: number, opts: TimeStretchOptions = {}): Float32Array {
  if (!(rate > 0) || !Number.isFinite(rate)) throw new Error(`timeStretch: rate must be a positive number, got ${rate}`);
  const nFft = opts.nFft ?? 2048;
  const hopLength = opts.hopLength ?? Math.floor(nFft / 4);
  const { analysis = vocoderAnalysis(y, { nFft, hopLength }) } = opts;
  if (analysis.bins !== nFft / 2 + 1 || analysis.hopLength !== hopLength)
    throw new Error(`timeStretch: the shared analysis was made with other STFT settings than n_fft ${nFft}, hop ${hopLength}`);
  const stretched = phaseVocoder(analysis, rate, true);
  return istft(stretched, roundHalfEven(y.length / rate), { nFft, hopLength });
}
