/** SpecAugment masking: what it zeroes, its bounds, its determinism, and the no-op setting. */
import { describe, expect, it } from 'vitest';
import { Rng } from '../src/rng.ts';
import { specAugment } from '../src/spec-augment.ts';

const [bands, frames, count] = [20, 30, 50];
const params = { freqMasks: 2, freqWidth: 4, timeMasks: 2, timeWidth: 5 };
const masked = (p = params, seed = 1) => {
  const x = new Float32Array(count * bands * frames).fill(1);
  specAugment(x, count, bands, frames, p, new Rng(seed));
  return x;
};

describe('specAugment', () => {
  it('zeroes whole bands and whole frame spans only, within the counts and widths', () => {
    const x = masked();
    let anyMasked = 0;
    for (let i = 0; i < count; i++) {
      const at = (b: number, t: number) => x[(i * bands + b) * frames + t];
      const zeroBands = Array.from({ length: bands }, (_, b) => b).filter((b) => Array.from({ length: frames }, (_, t) => at(b, t)).every((v) => v === 0));
      const zeroFrames = Array.from({ length: frames }, (_, t) => t).filter((t) => Array.from({ length: bands }, (_, b) => at(b, t)).every((v) => v === 0));
      expect(zeroBands.length).toBeLessThanOrEqual(params.freqMasks * params.freqWidth);
      expect(zeroFrames.length).toBeLessThanOrEqual(params.timeMasks * params.timeWidth);
      for (let b = 0; b < bands; b++)
        for (let t = 0; t < frames; t++) if (at(b, t) === 0) expect(zeroBands.includes(b) || zeroFrames.includes(t), `tensor ${i} (${b}, ${t})`).toBe(true);
      if (zeroBands.length + zeroFrames.length > 0) anyMasked++;
    }
    expect(anyMasked).toBeGreaterThan(count / 2);
  });

  it('is deterministic per seed and differs between seeds', () => {
    expect(masked()).toEqual(masked());
    expect(masked(params, 2)).not.toEqual(masked());
  });

  it('widths wider than the tensor are clamped to it', () => {
    const x = masked({ freqMasks: 1, freqWidth: 1000, timeMasks: 0, timeWidth: 0 });
    expect(x.every((v) => v === 0 || v === 1)).toBe(true);
  });

  it('no masks: the tensors are unchanged and the generator untouched', () => {
    const rng = new Rng(3);
    const x = new Float32Array(bands * frames).fill(1);
    specAugment(x, 1, bands, frames, { freqMasks: 0, freqWidth: 16, timeMasks: 0, timeWidth: 16 }, rng);
    expect(x.every((v) => v === 1)).toBe(true);
    expect(rng.state).toBe(new Rng(3).state);
  });
});
