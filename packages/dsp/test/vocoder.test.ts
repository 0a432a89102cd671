import { describe, expect, it } from 'vitest';
import { peakHz, tone } from '../src/testing.ts';
import { roundHalfEven, timeStretch } from '../src/vocoder.ts';

describe('roundHalfEven', () => {
  it("rounds like Python's round()", () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4999, 2.5001].map(roundHalfEven)).toEqual([0, 2, 2, -0, -2, -2, 2, 3]);
  });
});

describe('timeStretch', () => {
  it('gives round(len / rate) samples and keeps the pitch', () => {
    const y = tone(22050, 440);
    for (const rate of [0.8, 1, 1.1, 1.25, 2]) {
      const out = timeStretch(y, rate);
      expect(out.length).toBe(roundHalfEven(y.length / rate));
      expect(Math.abs(peakHz(out) - 440)).toBeLessThanOrEqual(1);
    }
  });

  it('rejects a non-positive rate', () => {
    expect(() => timeStretch(tone(4096, 440), 0)).toThrow(/rate must be a positive number, got 0/);
  });
});
