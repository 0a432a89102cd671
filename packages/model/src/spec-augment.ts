/**
 * SpecAugment's frequency and time masking (Park et al., "SpecAugment: A Simple Data Augmentation
 * Method for Automatic Speech Recognition", Interspeech 2019, §2), without time warping: per tensor,
 * each frequency mask zeroes f ~ U{0…F} consecutive mel bands from f₀ ~ U{0…ν − f}, each time mask
 * t ~ U{0…T} consecutive frames from t₀ ~ U{0…τ − t}. Zero is the training mean: inputs are
 * standardised per band before they get here.
 */
import type { TrainParams } from './params.ts';
import type { Rng } from './rng.ts';

export type SpecAugmentParams = TrainParams['specAugment'];

/** Masks each of the `count` row-major [bands, frames] tensors of `x` in place. */
export function specAugment(x: Float32Array, count: number, bands: number, frames: number, p: SpecAugmentParams, rng: Rng): void {
  const draw = (max: number) => Math.floor(rng.next() * (max + 1));
  for (let i = 0; i < count; i++) {
    const base = i * bands * frames;
    for (let m = 0; m < p.freqMasks; m++) {
      const f = draw(Math.min(p.freqWidth, bands));
      const f0 = draw(bands - f);
      x.fill(0, base + f0 * frames, base + (f0 + f) * frames);
    }
    for (let m = 0; m < p.timeMasks; m++) {
      const t = draw(Math.min(p.timeWidth, frames));
      const t0 = draw(frames - t);
      for (let b = 0; b < bands; b++) x.fill(0, base + b * frames + t0, base + b * frames + t0 + t);
    }
  }
}
