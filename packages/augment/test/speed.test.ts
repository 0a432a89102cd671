import { describe, expect, it } from 'vitest';
import { peakHz, tone } from '@ser/dsp/testing';
import { speedPerturb } from '../src/speed.ts';

describe('speedPerturb', () => {
  it('moves a tone by the factor and divides the length by it (peak within 2 Hz, length within 1 sample)', () => {
    const y = tone(22050, 440);
    for (const factor of [0.9, 1.25]) {
      const out = speedPerturb(y, 22050, factor);
      expect(Math.abs(out.length - y.length / factor)).toBeLessThanOrEqual(1);
      expect(Math.abs(peakHz(out) - 440 * factor)).toBeLessThanOrEqual(2);
    }
  });

  it('rejects a factor that is not a positive number, naming it', () => {
    expect(() => speedPerturb(new Float32Array(10), 22050, 0)).toThrow(/factor must be a positive number, got 0/);
  });
});
