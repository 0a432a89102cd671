import { describe, expect, it } from 'vitest';
import { addNoise } from '../src/noise.ts';
import { rngFor } from '../src/prng.ts';

const sine = Float32Array.from({ length: 50_000 }, (_, i) => 0.3 * Math.sin(i * 0.05));
const power = (x: ArrayLike<number>) => Array.from(x).reduce((s, v) => s + v * v, 0) / x.length;

describe('rngFor', () => {
  it('repeats per key and differs across keys', () => {
    const draw = (...k: (string | number)[]) => Array.from({ length: 5 }, rngFor(...k).next);
    expect(draw(42, 'a', 'noise', 0)).toEqual(draw(42, 'a', 'noise', 0));
    expect(draw(42, 'a', 'noise', 0)).not.toEqual(draw(42, 'a', 'noise', 1));
    expect(draw(42, 'a', 'noise', 0)).not.toEqual(draw(43, 'a', 'noise', 0));
  });

  it('draws uniform [0,1) and standard normal values (moments within 2%)', () => {
    const rng = rngFor(1);
    const u = Array.from({ length: 100_000 }, rng.next);
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    expect(Math.abs(u.reduce((a, b) => a + b) / u.length - 0.5)).toBeLessThan(0.01);
    const n = Array.from({ length: 100_000 }, rng.normal);
    expect(Math.abs(n.reduce((a, b) => a + b) / n.length)).toBeLessThan(0.02);
    expect(Math.abs(power(n) - 1)).toBeLessThan(0.02);
    // Shape, wedges and tail of the ziggurat: P(|x| > 1) = 0.3173, P(|x| > 2) = 0.0455,
    // P(|x| > 3.4426) = 5.76e-4 (the tail layer); bounds are ~4 standard errors at n = 1e5.
    const beyond = (t: number) => n.filter((v) => Math.abs(v) > t).length / n.length;
    expect(Math.abs(beyond(1) - 0.3173)).toBeLessThan(0.006);
    expect(Math.abs(beyond(2) - 0.0455)).toBeLessThan(0.0027);
    expect(Math.abs(beyond(3.4426) - 5.76e-4)).toBeLessThan(3e-4);
    expect(Math.abs(n.filter((v) => v > 0).length / n.length - 0.5)).toBeLessThan(0.007);
  });
});

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
