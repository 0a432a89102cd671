import { describe, expect, it } from 'vitest';
import { peakHz, tone } from '@ser/dsp/testing';
import { pitchShift } from '../src/pitch.ts';

describe('pitchShift', () => {
  it('keeps the length and moves a tone by 2^(n/12)', () => {
    const y = tone(22050, 440);
    for (const steps of [-3, 2, 12]) {
      const out = pitchShift(y, 22050, steps);
      expect(out.length).toBe(y.length);
      expect(Math.abs(peakHz(out) - 440 * 2 ** (steps / 12))).toBeLessThanOrEqual(2);
    }
  });
});
