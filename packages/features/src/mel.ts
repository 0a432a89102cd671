/**
 * Log-Mel spectrograms as librosa 0.10: feature.melspectrogram (periodic Hann window, centred STFT
 * with zero padding, power 2, Slaney mel filterbank with Slaney area normalisation) followed by
 * power_to_db(ref=np.max, amin=1e-10, top_db), and a fixed frame count (truncate or right-pad).
 * The STFT is computed in float32 (PFFFT, @ser/dsp); librosa's is float64 stored as complex64.
 */
import { frameCount, realFft32 } from '@ser/dsp';

export interface MelOptions {
  sampleRate: number;
  /** FFT size = window length (default 2048). */
  nFft?: number;
  /** Hop between frames (default 512). */
  hopLength?: number;
  /** Number of mel bands (default 128). */
  nMels?: number;
  /** Lowest filter edge in Hz (default 0). */
  fmin?: number;
  /** Highest filter edge in Hz (default null = sampleRate / 2). */
  fmax?: number | null;
  /** power_to_db top_db: floor relative to the maximum (default 80). */
  topDb?: number;
}

/**
 * A mel filterbank [nMels][nFft/2+1] plus, per filter, its nonzero bin range [lo, hi) and those
 * weights packed back to back from `offset[m]` (the projection then reads one small array).
 */
export interface MelFilterbank {
  nMels: number;
  nBins: number;
  weights: Float32Array;
  lo: Int32Array;
  hi: Int32Array;
  packed: Float64Array;
  offset: Int32Array;
}

/** Slaney's auditory-toolbox mel scale (librosa.hz_to_mel, htk=False): linear below 1 kHz, log above. */
export function hzToMel(f: number): number {
  const fSp = 200 / 3;
  const minLogHz = 1000,
    minLogMel = minLogHz / fSp,
    logStep = Math.log(6.4) / 27;
  return f >= minLogHz ? minLogMel + Math.log(f / minLogHz) / logStep : f / fSp;
}

export function melToHz(m: number): number {
  const fSp = 200 / 3;
  const minLogHz = 1000,
    minLogMel = minLogHz / fSp,
    logStep = Math.log(6.4) / 27;
  return m >= minLogMel ? minLogHz * Math.exp(logStep * (m - minLogMel)) : fSp * m;
}

const filterbankCache = new Map<string, MelFilterbank>();

/** librosa.filters.mel(sr, n_fft, n_mels, fmin, fmax, htk=False, norm='slaney'), float32. Cached. */
export function melFilterbank(sampleRate: number, nFft = 2048, nMels = 128, fmin = 0, fmax: number | null = null): MelFilterbank {
  const top = fmax ?? sampleRate / 2;
  const key = `${sampleRate}/${nFft}/${nMels}/${fmin}/${top}`;
  const cached = filterbankCache.get(key);
  if (cached) return cached;
  const nBins = Math.floor(nFft / 2) + 1;
  const lowMel = hzToMel(fmin),
    highMel = hzToMel(top);
  const edges = Array.from({ length: nMels + 2 }, (_, i) => melToHz(lowMel + ((highMel - lowMel) * i) / (nMels + 1)));
  const weights = new Float32Array(nMels * nBins);
  const lo = new Int32Array(nMels),
    hi = new Int32Array(nMels);
  for (let m = 0; m < nMels; m++) {
    const lower = edges[m + 1] - edges[m],
      upper = edges[m + 2] - edges[m + 1];
    // Slaney normalisation: each triangle has unit area in Hz (2 / bandwidth).
    const enorm = 2 / (edges[m + 2] - edges[m]);
    lo[m] = nBins;
    for (let k = 0; k < nBins; k++) {
      const f = (k * sampleRate) / nFft;
      const w = Math.max(0, Math.min((f - edges[m]) / lower, (edges[m + 2] - f) / upper));
      // librosa stores the triangle in float32, then scales it in place.
      weights[m * nBins + k] = Math.fround(w) * enorm;
      if (w > 0) {
        lo[m] = Math.min(lo[m], k);
        hi[m] = k + 1;
      }
    }
    if (hi[m] === 0) lo[m] = 0;
  }
  const offset = new Int32Array(nMels + 1);
  for (let m = 0; m < nMels; m++) offset[m + 1] = offset[m] + hi[m] - lo[m];
  const packed = new Float64Array(offset[nMels]);
  for (let m = 0; m < nMels; m++) packed.set(weights.subarray(m * nBins + lo[m], m * nBins + hi[m]), offset[m]);
  const bank = { nMels, nBins, weights, lo, hi, packed, offset };
  filterbankCache.set(key, bank);
  return bank;
}

/**
 * Mel power spectrogram [nMels][frames] (librosa.feature.melspectrogram, power 2, center=True,
 * pad_mode='constant'). Float32 frames and FFT (librosa: float64 FFT rounded to complex64), power
 * and projection in float64: ~2e-7 relative to each frame's largest bin, ~1e-4 dB at -80 dB.
 * The periodic Hann window is applied in the frequency domain, where it is a 3-tap convolution
 * (0.5 - 0.5·cos(2πn/N) ⇒ Xw[k] = 0.5·X[k] - 0.25·(X[k-1] + X[k+1]); Harris 1978, §4): the frame
 * goes into the FFT by a plain copy.
 */
export function melSpectrogram(y: Float32Array, opts: MelOptions): { mel: Float32Array; frames: number } {
  const { sampleRate, nFft = 2048, hopLength = 512, nMels = 128, fmin = 0, fmax = null } = opts;
  if (nFft % 2 || nFft < 6) throw new Error(`melSpectrogram: nFft must be even and >= 6, got ${nFft}`);
  const bank = melFilterbank(sampleRate, nFft, nMels, fmin, fmax);
  const fft = realFft32(nFft);
  const frames = frameCount(y.length, hopLength);
  const pad = Math.floor(nFft / 2);
  const nBins = bank.nBins,
    last = nBins - 1;
  const power = new Float64Array(nBins);
  const mel = new Float32Array(nMels * frames);
  const { packed, offset, lo } = bank;
  for (let t = 0; t < frames; t++) {
    const start = t * hopLength - pad;
    // Zero padding outside the signal (centred frames at the edges).
    const i0 = Math.max(0, -start),
      i1 = Math.min(nFft, y.length - start);
    const frame = fft.input();
    if (i0 > 0 || i1 < nFft) frame.fill(0);
    if (i1 > i0) frame.set(y.subarray(start + i0, start + i1), i0);
    const X = fft.forward();
    // Ordered layout: X[0] = X_0, X[1] = X_{N/2} (both real), then Re/Im pairs. X_{-1} = conj X_1 and
    // X_{N/2+1} = conj X_{N/2-1}: the edge bins take their neighbour's real part twice.
    power[0] = (0.5 * X[0] - 0.5 * X[2]) ** 2;
    power[last] = (0.5 * X[1] - 0.5 * X[2 * last - 2]) ** 2;
    power[1] = (0.5 * X[2] - 0.25 * (X[0] + X[4])) ** 2 + (0.5 * X[3] - 0.25 * X[5]) ** 2;
    const l = 2 * last;
    power[last - 1] = (0.5 * X[l - 2] - 0.25 * (X[l - 4] + X[1])) ** 2 + (0.5 * X[l - 1] - 0.25 * X[l - 3]) ** 2;
    for (let k = 2, i = 4; k < last - 1; k++, i += 2) {
      const re = 0.5 * X[i] - 0.25 * (X[i - 2] + X[i + 2]),
        im = 0.5 * X[i + 1] - 0.25 * (X[i - 1] + X[i + 3]);
      power[k] = re * re + im * im;
    }
    // Each filter is nonzero over a narrow band: sum only that band.
    for (let m = 0; m < nMels; m++) {
      let s = 0;
      const o = offset[m],
        d = lo[m] - o,
        end = offset[m + 1];
      for (let j = o; j < end; j++) s += packed[j] * power[j + d];
      mel[m * frames + t] = s;
    }
  }
  return { mel, frames };
}

/**
 * power_to_db(S, ref=np.max, amin=1e-10, top_db): dB relative to the maximum, floored at -topDb. In
 * place. The loudest value is exactly 0 dB, so librosa's floor (max - top_db) is -topDb.
 */
export function powerToDb(s: Float32Array, topDb = 80): Float32Array {
  const amin = 1e-10;
  let max = 0;
  for (let i = 0; i < s.length; i++) if (s[i] > max) max = s[i];
  // 10·log10 as ln · (10 / ln 10): Math.log is cheaper than Math.log10 in V8 (powerToDb -30%).
  const dB = 10 / Math.LN10;
  const ref = dB * Math.log(Math.max(amin, max));
  for (let i = 0; i < s.length; i++) s[i] = Math.max(dB * Math.log(Math.max(amin, s[i])) - ref, -topDb);
  return s;
}

/** Log-Mel spectrogram [nMels][frames], unpadded. */
export function logMelSpectrogram(y: Float32Array, opts: MelOptions): { logmel: Float32Array; frames: number } {
  const { mel, frames } = melSpectrogram(y, opts);
  return { logmel: powerToDb(mel, opts.topDb ?? 80), frames };
}

/**
 * Fix a [nMels][frames] matrix to `target` frames: truncate, or right-pad. `pad` is a value (numpy.pad's
 * mode 'constant') or 'wrap' (numpy.pad's mode 'wrap': the clip repeated from its first frame on).
 */
export function fixFrames(x: Float32Array, nMels: number, frames: number, target: number, pad: number | 'wrap'): Float32Array {
  const out = new Float32Array(nMels * target);
  if (pad !== 'wrap') out.fill(pad);
  const keep = Math.min(frames, target);
  const copies = pad === 'wrap' && keep > 0 ? Math.ceil(target / keep) : 1;
  for (let m = 0; m < nMels; m++)
    for (let c = 0, at = 0; c < copies; c++, at += keep) out.set(x.subarray(m * frames, m * frames + Math.min(keep, target - at)), m * target + at);
  return out;
}
