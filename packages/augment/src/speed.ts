import { resample } from '@ser/dsp';

/**
 * Speed perturbation (Ko, Peddinti, Povey & Khudanpur 2015; sox's `speed`): the clip played `factor`
 * times as fast, tempo and pitch together — y read as if sampled at sr·factor, resampled to sr
 * (soxr-HQ-like, @ser/dsp). The length becomes round(len / factor): the mel stage's fixed frame
 * count then crops or pads it, as for a time stretch.
 */
export function speedPerturb(y: Float32Array, sr: number, factor: number): Float32Array {
  if (!(factor > 0) || !Number.isFinite(factor)) throw new Error(`speedPerturb: factor must be a positive number, got ${factor}`);
  return resample(y, sr * factor, sr);
}
