/** Input standardisation: per mel band over the training set, each tensor on its own, or each speaker's tensors together. */
import { describe, expect, it } from 'vitest';
import { applyStandardization, fitStandardization } from '../src/standardize.ts';

// Two tensors of [2 bands, 4 frames]: band 0 rising, band 1 constant but for one frame.
const shape: [number, number] = [2, 4];
const x = Float32Array.from([1, 2, 3, 4, 10, 10, 10, 14, /* tensor 2 */ 5, 6, 7, 8, -10, -10, -10, -6]);

describe('standardisation', () => {
  it('training-set: each band by its mean and std over every frame of every tensor', () => {
    const s = fitStandardization(x, 2, shape);
    // band 0: 1..8, mean 4.5, variance 25.5 − 4.5²; band 1: mean 1, variance 832/8 − 1
    expect(s).toEqual({ axis: 'mel', mean: [4.5, 1], std: [expect.closeTo(Math.sqrt(5.25), 12), expect.closeTo(Math.sqrt(103), 12)] });
    const z = applyStandardization(s, x, 2, shape);
    expect(z[0]).toBeCloseTo((1 - 4.5) / Math.sqrt(5.25), 6);
  });

  it('utterance: each band of each tensor by its own mean and std, so a shift or scale of one tensor changes nothing', () => {
    const s = fitStandardization(x, 2, shape, 'utterance');
    expect(s).toEqual({ axis: 'utterance' });
    const z = applyStandardization(s, x, 2, shape);
    // band 0 of tensor 1: 1..4, mean 2.5, std sqrt(1.25)
    expect([...z.subarray(0, 4)].map((v) => Number(v.toFixed(6)))).toEqual([-1.5, -0.5, 0.5, 1.5].map((v) => Number((v / Math.sqrt(1.25)).toFixed(6))));
    // tensor 2 is tensor 1 shifted (band 0 by +4, band 1 by −20): the same standardised values.
    for (let i = 0; i < 8; i++) expect(z[8 + i]).toBeCloseTo(z[i], 6);
    // a constant band stays finite (its std is taken as 1)
    const flat = applyStandardization(s, Float32Array.from([3, 3, 3, 3, 1, 2, 3, 4]), 1, shape);
    expect([...flat.subarray(0, 4)]).toEqual([0, 0, 0, 0]);
  });

  it("speaker: each speaker's tensors by that speaker's band statistics; without speakers, each tensor alone", () => {
    const s = fitStandardization(x, 2, shape, 'speaker');
    expect(s).toEqual({ axis: 'speaker' });
    // Speaker a: the two tensors of x; speaker b: the same two shifted by +7 and scaled by 3.
    const both = Float32Array.from([...x, ...Array.from(x, (v) => v * 3 + 7)]);
    const z = applyStandardization(s, both, 4, shape, ['a', 'a', 'b', 'b']);
    // Over speaker a, band 0 has the training-set statistics of x (mean 4.5, variance 5.25).
    expect(z[0]).toBeCloseTo((1 - 4.5) / Math.sqrt(5.25), 6);
    // A speaker-wide shift and scale changes nothing.
    for (let i = 0; i < 16; i++) expect(z[16 + i]).toBeCloseTo(z[i], 5);
    // Interleaved order, the same groups: the same values.
    const mixed = applyStandardization(
      s,
      Float32Array.from([...both.subarray(0, 8), ...both.subarray(16, 24), ...both.subarray(8, 16), ...both.subarray(24)]),
      4,
      shape,
      ['a', 'b', 'a', 'b'],
    );
    for (let i = 0; i < 8; i++) expect(mixed[8 + i]).toBeCloseTo(z[16 + i], 5);
    // No speakers (one file of an unknown speaker): the utterance form.
    expect(applyStandardization(s, x, 2, shape)).toEqual(applyStandardization({ axis: 'utterance' }, x, 2, shape));
    expect(() => applyStandardization(s, x, 2, shape, ['a'])).toThrow('1 speakers for 2 tensors');
  });
});
