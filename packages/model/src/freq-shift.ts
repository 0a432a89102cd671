/**
 * Random frequency shift of log-Mel tensors: every training tensor, at every gradient step, moves k
 * mel bands up (k > 0) or down (k < 0), k ~ U{−K…K}; the k bands it uncovers are set to 0, the
 * training mean after standardisation. Moving the whole spectrum along the mel axis shifts pitch
 * harmonics and formants together, a cheap stand-in for vocal-tract-length perturbation (Jaitly &
 * Hinton 2013) that draws a new "speaker" each step instead of a fixed augmented copy.
 */
import type { Rng } from './rng.ts';

/** Shifts each of the `count` row-major [bands, frames] tensors of `x` in place by up to `maxBands` bands (at most bands − 1). */
export function frequencyShift(x: Float32Array, count: number, bands: number, frames: number, maxBands: number, rng: Rng): void {
  if (maxBands === 0) return;
  const limit = Math.min(maxBands, bands - 1);
  for (let i = 0; i < count; i++) {
    const k = Math.floor(rng.next() * (2 * limit + 1)) - limit;
    const base = i * bands * frames;
    // copyWithin handles the overlap: band b takes band b − k.
    if (k > 0) {
      x.copyWithin(base + k * frames, base, base + (bands - k) * frames);
      x.fill(0, base, base + k * frames);
    } else if (k < 0) {
      x.copyWithin(base, base - k * frames, base + bands * frames);
      x.fill(0, base + (bands + k) * frames, base + bands * frames);
    }
  }
}
