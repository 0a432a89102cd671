import { resample, timeStretch, vocoderAnalysis, type TimeStretchOptions } from '@ser/dsp';

export interface PitchShiftOptions extends TimeStretchOptions {
  /** Steps per octave (default 12: semitones). */
  binsPerOctave?: number;
}

/**
 * librosa.effects.pitch_shift(y, sr, n_steps, res_type='soxr_hq'): time-stretch by
 * rate = 2^(-n/bins), resample from sr / rate to sr (soxr-HQ-like, @ser/dsp), then fix the
 * length to len(y) (crop or zero-pad). Without a shared `analysis` the STFT runs in float32
 * (vocoderAnalysis exact: false): the resampler already makes this a perceptual match, not a bitwise one.
 */
export function pitchShift(y: Float32Array, sr: number, nSteps: number, opts: PitchShiftOptions = {}): Float32Array {
  const { binsPerOctave = 12, ...stretchOpts } = opts;
  if (!Number.isFinite(nSteps)) throw new Error(`pitchShift: n_steps must be finite, got ${nSteps}`);
  const rate = 2 ** (-nSteps / binsPerOctave);
  const { analysis = vocoderAnalysis(y, { ...stretchOpts, exact: false }) } = stretchOpts;
  const shifted = resample(timeStretch(y, rate, { ...stretchOpts, analysis }), sr / rate, sr);
  const out = new Float32Array(y.length);
  out.set(shifted.length > y.length ? shifted.subarray(0, y.length) : shifted);
  return out;
}
