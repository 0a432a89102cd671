/**
 * Input standardisation per mel band: z = (x − mean[f]) / std[f], with mean and std of band f over
 * every frame of every training tensor (training split only, so nothing leaks from val/test).
 */
export interface Standardization {
  /** Statistics per mel band (row of the [nMels, frames] log-Mel tensor). */
  axis: 'mel';
  mean: number[];
  std: number[];
}

/** Bands with (near) zero spread are left unscaled. */
const MIN_STD = 1e-6;

export function fitStandardization(x: Float32Array, count: number, shape: [number, number]): Standardization {
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

/** A standardised copy of `count` tensors of `shape`. */
export function applyStandardization(s: Standardization, x: Float32Array, count: number, shape: [number, number]): Float32Array {
  const [bands, frames] = shape;
  if (s.mean.length !== bands) throw new Error(`standardization has ${s.mean.length} mel bands, the input has ${bands}`);
  if (x.length !== count * bands * frames) throw new Error(`applyStandardization: ${x.length} floats is not ${count} tensors of [${shape}]`);
  const out = new Float32Array(x.length);
  for (let i = 0; i < count; i++)
    for (let f = 0; f < bands; f++) {
      const base = (i * bands + f) * frames;
      const m = s.mean[f];
      const k = 1 / s.std[f];
      for (let t = 0; t < frames; t++) out[base + t] = (x[base + t] - m) * k;
    }
  return out;
}
