/**
 * Input standardisation per mel band, z = (x − mean[f]) / std[f], with the statistics of band f
 * - `training-set` (axis 'mel'): over every frame of every training tensor (training split only,
 *   so nothing leaks from val/test), stored with the model;
 * - `utterance` (axis 'utterance'): over the frames of the tensor itself (cepstral mean and variance
 *   normalisation per utterance): nothing to store, and one file of an unknown speaker is
 *   standardised exactly as training tensors were;
 * - `speaker` (axis 'speaker'): over every frame of the tensors of the same speaker among those
 *   standardised together (speaker-level CMVN; cf. Busso, Mariooryad, Metallinou & Narayanan 2013, iterative feature normalisation):
 *   training and validation tensors by their own speakers', test tensors by the test speaker's
 *   (unlabelled) recordings. Tensors given without speakers (`ser predict`, one file of an unknown
 *   speaker) are each their own group: the utterance form.
 */
import { indicesByKey } from '@ser/core/group';

/** What standardization.json's `axis` may name: 'mel' stores the training set's statistics. */
export const STANDARDIZATION_AXES = ['mel', 'utterance', 'speaker'] as const;
export type Standardization = { axis: 'mel'; mean: number[]; std: number[] } | { axis: Exclude<(typeof STANDARDIZATION_AXES)[number], 'mel'> };
export type StandardizeMode = 'training-set' | 'utterance' | 'speaker';

/** Bands with (near) zero spread are left unscaled. */
const MIN_STD = 1e-6;

export function fitStandardization(x: Float32Array, count: number, shape: [number, number], mode: StandardizeMode = 'training-set'): Standardization {
  if (mode !== 'training-set') return { axis: mode };
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

/** Per-band mean and std (two passes, float64) over every frame of the listed tensors. */
function bandStats(x: Float32Array, tensors: number[], bands: number, frames: number): { mean: number[]; std: number[] } {
  const mean: number[] = [];
  const std: number[] = [];
  const n = tensors.length * frames;
  for (let f = 0; f < bands; f++) {
    let sum = 0;
    for (const i of tensors) for (let t = 0, base = (i * bands + f) * frames; t < frames; t++) sum += x[base + t];
    const m = sum / n;
    let sq = 0;
    for (const i of tensors) for (let t = 0, base = (i * bands + f) * frames; t < frames; t++) sq += (x[base + t] - m) ** 2;
    const sd = Math.sqrt(sq / n);
    mean.push(m);
    std.push(sd < MIN_STD ? 1 : sd);
  }
  return { mean, std };
}

/** The tensors standardised together: all (training-set statistics), each alone (utterance), or by speaker. */
function statisticGroups(s: Standardization, count: number, speakers?: ArrayLike<string>): number[][] {
  const all = Array.from({ length: count }, (_, i) => i);
  if (s.axis === 'mel') return [all];
  if (s.axis === 'utterance' || !speakers) return all.map((i) => [i]);
  if (speakers.length !== count) throw new Error(`applyStandardization: ${speakers.length} speakers for ${count} tensors`);
  return [...indicesByKey(speakers).values()];
}

/**
 * A standardised copy of `count` tensors of `shape`; `speakers` (one per tensor) is what axis
 * 'speaker' groups by.
 */
export function applyStandardization(s: Standardization, x: Float32Array, count: number, shape: [number, number], speakers?: ArrayLike<string>): Float32Array {
  const [bands, frames] = shape;
  if (s.axis === 'mel' && s.mean.length !== bands) throw new Error(`standardization has ${s.mean.length} mel bands, the input has ${bands}`);
  if (x.length !== count * bands * frames) throw new Error(`applyStandardization: ${x.length} floats is not ${count} tensors of [${shape}]`);
  const out = new Float32Array(x.length);
  for (const group of statisticGroups(s, count, speakers)) {
    const { mean, std } = s.axis === 'mel' ? s : bandStats(x, group, bands, frames);
    for (const i of group)
      for (let f = 0; f < bands; f++) {
        const base = (i * bands + f) * frames;
        const k = 1 / std[f];
        for (let t = 0; t < frames; t++) out[base + t] = (x[base + t] - mean[f]) * k;
      }
  }
  return out;
}
