/** Random frequency shift: whole tensors move along the band axis, uncovered bands are zero, shifts stay within ±K. */
import { describe, expect, it } from 'vitest';
import { frequencyShift } from '../src/freq-shift.ts';
import { Rng } from '../src/rng.ts';

const [bands, frames, count] = [12, 5, 200];
/** Band b of every tensor holds b + 1 in every frame (0 is reserved for uncovered bands). */
const ramp = () => Float32Array.from({ length: count * bands * frames }, (_, j) => (Math.floor(j / frames) % bands) + 1);

/** The shift each tensor got, read back from its first non-zero band's value. */
function shiftsOf(x: Float32Array): number[] {
  return Array.from({ length: count }, (_, i) => {
    const column = Array.from({ length: bands }, (_, b) => x[(i * bands + b) * frames]);
    const first = column.findIndex((v) => v !== 0);
    return first - (column[first] - 1);
  });
}

describe('frequencyShift', () => {
  it('moves every band of a tensor by the same k within ±K, fills the uncovered bands with 0, and uses every k', () => {
    const x = ramp();
    frequencyShift(x, count, bands, frames, 3, new Rng(7));
    const shifts = shiftsOf(x);
    shifts.forEach((k, i) => {
      for (let b = 0; b < bands; b++)
        for (let t = 0; t < frames; t++) {
          const source = b - k;
          const expected = source >= 0 && source < bands ? source + 1 : 0;
          expect(x[(i * bands + b) * frames + t], `tensor ${i} band ${b} frame ${t} (k ${k})`).toBe(expected);
        }
    });
    expect(new Set(shifts)).toEqual(new Set([-3, -2, -1, 0, 1, 2, 3]));
  });

  it('is deterministic per seed and differs between seeds', () => {
    const shifted = (seed: number) => {
      const x = ramp();
      frequencyShift(x, count, bands, frames, 2, new Rng(seed));
      return x;
    };
    expect(shifted(1)).toEqual(shifted(1));
    expect(shifted(2)).not.toEqual(shifted(1));
  });

  it('a shift wider than the tensor is clamped to it; 0 leaves the tensors and the generator untouched', () => {
    const x = ramp();
    frequencyShift(x, count, bands, frames, 1000, new Rng(3));
    expect(new Set(shiftsOf(x).map(Math.abs))).toContain(bands - 1);
    expect(shiftsOf(x).every((k) => Math.abs(k) <= bands - 1)).toBe(true);
    const y = ramp();
    const rng = new Rng(3);
    frequencyShift(y, count, bands, frames, 0, rng);
    expect(y).toEqual(ramp());
    expect(rng.state).toBe(new Rng(3).state);
  });
});
