/**
 * Leading/trailing silence removal, exactly as librosa.effects.trim (0.10): frame RMS
 * (feature.rms, centred, zero padded), amplitude_to_db(ref=np.max, amin=1e-5), frames louder than
 * -topDb are non-silent; the interval runs from the first to the end of the last non-silent frame.
 */

export interface TrimOptions {
  /** Threshold below the loudest frame, in dB (librosa default 60; the pipeline uses 25). */
  topDb?: number;
  /** RMS frame length in samples (default 2048). */
  frameLength?: number;
  /** Hop between frames in samples (default 512). */
  hopLength?: number;
}

/** Half-open sample interval [start, end). */
export interface TrimInterval {
  start: number;
  end: number;
}

/** amplitude_to_db's amin: RMS values at or below it all count as this floor. */
const AMIN = 1e-5;

/** Frame RMS with centred zero padding (librosa.feature.rms(center=True, pad_mode='constant')). */
export function frameRms(y: Float32Array, frameLength = 2048, hopLength = 512): Float64Array {
  const pad = Math.floor(frameLength / 2);
  const frames = 1 + Math.floor((y.length + 2 * pad - frameLength) / hopLength);
  // Prefix sums of y² make each frame O(1).
  const cum = new Float64Array(y.length + 1);
  for (let i = 0; i < y.length; i++) cum[i + 1] = cum[i] + y[i] * y[i];
  const rms = new Float64Array(Math.max(0, frames));
  for (let t = 0; t < frames; t++) {
    const a = Math.min(y.length, Math.max(0, t * hopLength - pad));
    const b = Math.min(y.length, Math.max(0, t * hopLength - pad + frameLength));
    rms[t] = Math.sqrt(Math.max(0, cum[b] - cum[a]) / frameLength);
  }
  return rms;
}

/**
 * The non-silent interval of `y`, or null when the clip is silent (no frame above amin = 1e-5 RMS,
 * where librosa would keep everything and ref=max would make silence the loudest thing).
 */
export function trimSilence(y: Float32Array, { topDb = 60, frameLength = 2048, hopLength = 512 }: TrimOptions = {}): TrimInterval | null {
  const rms = frameRms(y, frameLength, hopLength);
  let ref = 0;
  for (const r of rms) if (r > ref) ref = r;
  if (ref <= AMIN) return null;
  const refDb = 20 * Math.log10(ref);
  let first = -1, last = -1;
  for (let t = 0; t < rms.length; t++) {
    if (20 * Math.log10(Math.max(AMIN, rms[t])) - refDb > -topDb) {
      if (first < 0) first = t;
      last = t;
    }
  }
  return { start: first * hopLength, end: Math.min(y.length, (last + 1) * hopLength) };
}
