import { describe, expect, it } from 'vitest';
import { addNoise } from '../src/noise.ts';
import { rngFor } from '@ser/dsp';

const sine = Float32Array.from({ length: 50_000 }, (_, i) => 0.3 * Math.sin(i * 0.05));
const power = (x: ArrayLike<number>) => Array.from(x).reduce((s, v) => s + v * v, 0) / x.length;

describe('addNoise', () => {
  it('adds noise at the requested SNR (within 0.1 dB on 50k samples)', () => {
    for (const snr of [15, 22.5, 30]) {
      const noisy = addNoise(sine, snr, rngFor(7, snr));
      const noise = noisy.map((v, i) => v - sine[i]);
      expect(Math.abs(10 * Math.log10(power(sine) / power(noise)) - snr)).toBeLessThan(0.1);
    }
  });

  it('is deterministic for a key and leaves silence silent', () => {
    expect(addNoise(sine, 20, rngFor(1, 'x'))).toEqual(addNoise(sine, 20, rngFor(1, 'x')));
    expect(addNoise(sine, 20, rngFor(1, 'x'))).not.toEqual(addNoise(sine, 20, rngFor(2, 'x')));
    expect(Array.from(addNoise(new Float32Array(100), 20, rngFor(1)))).toEqual(new Array(100).fill(0));
  });
});
