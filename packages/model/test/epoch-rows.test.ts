/** Which rows an epoch trains on (train.variantsPerEpoch). */
import { describe, expect, it } from 'vitest';
import { Rng } from '../src/rng.ts';
import { epochSampler } from '../src/train.ts';

// 4 recordings (0..3) and 3 variants of each: rows 0..3 the recordings, 4..15 their variants.
const recordings = Int32Array.from({ length: 16 }, (_, row) => row % 4);
const data = { x: new Float32Array(16), labels: new Int32Array(16), recordings };

describe('epochSampler', () => {
  it("'all': every row once, shuffled, and the same generator state gives the same order", () => {
    const all = epochSampler(data, 'all');
    expect(all.size).toBe(16);
    const order = all.draw(new Rng(7));
    expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: 16 }, (_, i) => i));
    expect(all.draw(new Rng(7))).toEqual(order);
    // What the trainer drew before this option existed: a permutation of all rows.
    expect(order).toEqual(new Rng(7).permutation(16));
  });

  it("'one': one row of each recording per epoch, each of its rows about equally often over epochs", () => {
    const one = epochSampler(data, 'one');
    expect(one.size).toBe(4);
    const rng = new Rng(11);
    const seen = new Map<number, number>();
    for (let epoch = 0; epoch < 2000; epoch++) {
      const rows = one.draw(rng);
      expect([...rows].map((r) => recordings[r]).sort()).toEqual([0, 1, 2, 3]);
      for (const r of rows) seen.set(r, (seen.get(r) ?? 0) + 1);
    }
    // 2000 draws among 4 rows per recording: 500 each expected; ±5 sd of a binomial(2000, 1/4) is ±97.
    expect(seen.size).toBe(16);
    for (const count of seen.values()) expect(Math.abs(count - 500)).toBeLessThan(97);
  });
});
