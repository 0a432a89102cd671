import { describe, expect, it } from 'vitest';
import { roundHalfEven, timeStretch } from '../src/vocoder.ts';
import { pitchShift } from '../src/pitch.ts';

const tone = (n: number, hz: number) => Float32Array.from({ length: n }, (_, i) => 0.5 * Math.sin((2 * Math.PI * hz * i) / 22050));

/** Dominant frequency (Hz) by a direct DFT scan over 50..2000 Hz in 1 Hz steps, middle of the clip. */
function peakHz(y: Float32Array): number {
  const from = Math.floor(y.length / 4), to = Math.floor((3 * y.length) / 4);
  let best = 0, bestPower = -1;
  for (let hz = 50; hz <= 2000; hz++) {
    let re = 0, im = 0;
    for (let i = from; i < to; i++) {
      re += y[i] * Math.cos((2 * Math.PI * hz * i) / 22050);
      im += y[i] * Math.sin((2 * Math.PI * hz * i) / 22050);
    }
    if (re * re + im * im > bestPower) (bestPower = re * re + im * im), (best = hz);
  }
  return best;
}

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
