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
  const rms = new Float64Array(Math.max(0, frames));
  // Running sum of y² over the frame's samples [a, b): each sample is added once and removed once
  // (no n-sized prefix-sum array; the same rounding, ~1e-16 of the running sum per step).
  let sum = 0,
    a = 0,
    b = 0;
  for (let t = 0; t < frames; t++) {
    const lo = Math.min(y.length, Math.max(0, t * hopLength - pad));
    const hi = Math.min(y.length, Math.max(0, t * hopLength - pad + frameLength));
    // A hop longer than the frame leaves a gap: restart there.
    if (lo >= b) ((sum = 0), (a = b = lo));
    for (; b < hi; b++) sum += y[b] * y[b];
    for (; a < lo; a++) sum -= y[a] * y[a];
    rms[t] = Math.sqrt(Math.max(0, sum) / frameLength);
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
  let first = -1,
    last = -1;
  for (let t = 0; t < rms.length; t++) {
    if (20 * Math.log10(Math.max(AMIN, rms[t])) - refDb > -topDb) {
      if (first < 0) first = t;
      last = t;
    }
  }
  return { start: first * hopLength, end: Math.min(y.length, (last + 1) * hopLength) };
}
