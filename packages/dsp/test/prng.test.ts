import { describe, expect, it } from 'vitest';
import { rngFor } from '../src/prng.ts';

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
