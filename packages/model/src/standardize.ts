/**
 * Input standardisation per mel band, z = (x − mean[f]) / std[f], with the statistics of band f
 * - `training-set` (axis 'mel'): over every frame of every training tensor (training split only,
 *   so nothing leaks from val/test), stored with the model;
 * - `utterance` (axis 'utterance'): over the frames of the tensor itself (cepstral mean and variance
 *   normalisation per utterance): nothing to store, and one file of an unknown speaker is
 *   standardised exactly as training tensors were.
 */
export type Standardization = { axis: 'mel'; mean: number[]; std: number[] } | { axis: 'utterance' };

/** Bands with (near) zero spread are left unscaled. */
const MIN_STD = 1e-6;

export function fitStandardization(
  x: Float32Array,
  count: number,
  shape: [number, number],
  mode: 'training-set' | 'utterance' = 'training-set',
): Standardization {
  if (mode === 'utterance') return { axis: 'utterance' };
  const [bands, frames] = shape;
  if (count === 0) throw new Error('fitStandardization: no training tensors');
  if (x.length !== count * bands * frames) throw new Error(`fitStandardization: ${x.length} floats is not ${count} tensors of [${shape}]`);
  const sum = new Float64Array(bands);
  const sq = new Float64Array(bands);
  for (let i = 0; i < count; i++)
    for (let f = 0; f < bands; f++) {
      const base = (i * bands + f) * frames;
      for (let t = 0; t < frames; t++) {
        const v = x[base + t];
        sum[f] += v;
        sq[f] += v * v;
      }
    }
  const n = count * frames;
  const mean = Array.from(sum, (s) => s / n);
  const std = Array.from(sq, (s, f) => {
    const sd = Math.sqrt(Math.max(0, s / n - mean[f] ** 2));
    return sd < MIN_STD ? 1 : sd;
  });
  return { axis: 'mel', mean, std };
}

/** Mean and standard deviation of `frames` values from `base` (two passes, float64). */
function rowStats(x: Float32Array, base: number, frames: number): { mean: number; std: number } {
  let sum = 0;
  for (let t = 0; t < frames; t++) sum += x[base + t];
  const mean = sum / frames;
  let sq = 0;
  for (let t = 0; t < frames; t++) sq += (x[base + t] - mean) ** 2;
  const std = Math.sqrt(sq / frames);
  return { mean, std: std < MIN_STD ? 1 : std };
}

/** A standardised copy of `count` tensors of `shape`. */
export function applyStandardization(s: Standardization, x: Float32Array, count: number, shape: [number, number]): Float32Array {
  const [bands, frames] = shape;
  if (s.axis === 'mel' && s.mean.length !== bands) throw new Error(`standardization has ${s.mean.length} mel bands, the input has ${bands}`);
  if (x.length !== count * bands * frames) throw new Error(`applyStandardization: ${x.length} floats is not ${count} tensors of [${shape}]`);
  const out = new Float32Array(x.length);
  for (let i = 0; i < count; i++)
    for (let f = 0; f < bands; f++) {
      const base = (i * bands + f) * frames;
      const { mean, std } = s.axis === 'mel' ? { mean: s.mean[f], std: s.std[f] } : rowStats(x, base, frames);
      const k = 1 / std;
      for (let t = 0; t < frames; t++) out[base + t] = (x[base + t] - mean) * k;
    }
  return out;
}
