/**
 * Phase-vocoder time stretch with librosa 0.10 semantics (core.phase_vocoder, effects.time_stretch),
 * reproducing its float32 arithmetic (complex64 STFT, float32 phase accumulator, float64 phase
 * advance) so outputs agree to float rounding, not just perceptually.
 */
import { istft, stftPolar, type PolarSpectrogram, type Spectrogram, type StftOptions } from './stft.ts';

const TWO_PI_HI = 6.28125; // 2π rounded to 8 bits: turns · TWO_PI_HI is exact
const TWO_PI_LO = 2 * Math.PI - TWO_PI_HI;
const INV_TWO_PI = 1 / (2 * Math.PI);

/**
 * librosa.phase_vocoder(D, rate, hop_length): output frame t reads input position t * rate,
 * interpolates magnitudes linearly and advances the phase by the measured instantaneous frequency.
 */
export function phaseVocoder(D: PolarSpectrogram, rate: number, hopLength: number): Spectrogram {
  const { bins, frames, mag, phase } = D;
  const nFft = 2 * (bins - 1);
  const outFrames = Math.ceil(frames / rate); // len(np.arange(0, frames, rate))
  // librosa pads D with two zero columns: reads past the last frame see zero.
  const at = (a: Float32Array, i: number) => (i < a.length ? a[i] : 0);
  // Expected phase advance per hop: hop * fft_frequencies(sr=2π, n_fft), float64.
  const advance = new Float64Array(bins);
  for (let k = 0; k < bins; k++) advance[k] = hopLength * ((k * 2 * Math.PI) / nFft);
  const acc = phase.slice(0, bins); // float32 accumulator, as np.angle(D[..., 0])
  const re = new Float32Array(outFrames * bins);
  const im = new Float32Array(outFrames * bins);
  const f32 = Math.fround;
  const twoPi = 2 * Math.PI;
  for (let t = 0; t < outFrames; t++) {
    const step = t * rate;
    const c0 = Math.floor(step) * bins;
    const c1 = c0 + bins;
    const alpha = step % 1;
    // numpy 1.x casts the float64 scalars to float32 against a float32 array.
    const wa = f32(alpha), wb = f32(1 - alpha);
    const o = t * bins;
    for (let k = 0; k < bins; k++) {
      const m = f32(f32(wb * at(mag, c0 + k)) + f32(wa * at(mag, c1 + k)));
      const a = acc[k];
      // cos/sin of a few-radian argument are ~3x cheaper than of the accumulated phase (up to
      // ~1e5 rad); a two-part 2π (Cody–Waite) keeps the reduction error near 1e-14 rad.
      const turns = Math.round(a * INV_TWO_PI);
      const r = a - turns * TWO_PI_HI - turns * TWO_PI_LO;
      re[o + k] = f32(Math.cos(r)) * m;
      im[o + k] = f32(Math.sin(r)) * m;
      let d = f32(at(phase, c1 + k) - at(phase, c0 + k)) - advance[k]; // float32 difference, as numpy
      d -= twoPi * Math.round(d / twoPi);
      acc[k] = a + (advance[k] + d);
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
  /** stftPolar(y) with the same nFft/hop, when several stretches of one clip share it. */
  analysis?: PolarSpectrogram;
}

/**
 * librosa.effects.time_stretch(y, rate): rate > 1 speeds up; the output has round(len / rate) samples.
 * Defaults n_fft 2048, hop 512.
 */
export function timeStretch(y: Float32Array, rate: number, opts: TimeStretchOptions = {}): Float32Array {
  if (!(rate > 0) || !Number.isFinite(rate)) throw new Error(`timeStretch: rate must be a positive number, got ${rate}`);
  const nFft = opts.nFft ?? 2048;
  const hopLength = opts.hopLength ?? Math.floor(nFft / 4);
  const stretched = phaseVocoder(opts.analysis ?? stftPolar(y, { nFft, hopLength }), rate, hopLength);
  return istft(stretched, roundHalfEven(y.length / rate), { nFft, hopLength });
}
