import type { Rng } from '@ser/dsp';

/**
 * Additive white Gaussian noise at a given SNR (dB) relative to the clip's mean power:
 * sigma = sqrt(mean(y²) / 10^(snrDb/10)). A silent clip stays silent.
 */
export function addNoise(y: Float32Array, snrDb: number, rng: Rng): Float32Array {
  let power = 0;
  for (let i = 0; i < y.length; i++) power += y[i] * y[i];
  power /= Math.max(y.length, 1);
  const sigma = Math.sqrt(power / 10 ** (snrDb / 10));
  const out = new Float32Array(y.length);
  for (let i = 0; i < y.length; i++) out[i] = y[i] + sigma * rng.normal();
  return out;
}
