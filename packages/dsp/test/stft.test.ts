import { describe, expect, it } from 'vitest';
import { istft, stftPolar, windowSumSquare } from '../src/stft.ts';
import { hannWindow } from '../src/window.ts';

describe('stftPolar + istft', () => {
  it('reconstruct the signal, edges included, whether or not the hop divides n_fft (within 1e-5)', () => {
    const y = Float32Array.from({ length: 9000 }, (_, i) => 0.5 * Math.sin(i * 0.031) + 0.2 * Math.sin(i * 0.47 + 1));
    for (const [nFft, hopLength, exact] of [
      [2048, 512, true],
      [1024, 300, false],
      [512, 128, true],
    ] as const) {
      const { mag, phase, bins, frames } = stftPolar(y, { nFft, hopLength, exact });
      const re = mag.map((m, i) => m * Math.cos(phase[i])),
        im = mag.map((m, i) => m * Math.sin(phase[i]));
      const back = istft({ re, im, bins, frames }, y.length, { nFft, hopLength });
      let worst = 0;
      for (let i = 0; i < y.length; i++) worst = Math.max(worst, Math.abs(back[i] - y[i]));
      expect(worst, `n_fft ${nFft} hop ${hopLength}`).toBeLessThan(1e-5);
    }
  });

  it('rejects output arrays of the wrong size, naming the shape', () => {
    expect(() => stftPolar(new Float32Array(4096), {}, { mag: new Float32Array(10) })).toThrow(/9 frames x 1025 bins/);
  });
});

describe('windowSumSquare', () => {
  it('equals frame-by-frame float32 accumulation bit for bit', () => {
    for (const [n, hop, frames, length] of [
      [2048, 512, 40, 19000],
      [2048, 512, 10, 30000],
      [1024, 300, 25, 7000],
      [16, 4, 3, 20],
      [16, 8, 6, 40],
      [16, 16, 3, 30],
    ] as const) {
      const window = hannWindow(n);
      const want = new Float32Array(length);
      for (let t = 0; t < frames; t++)
        for (let i = 0; i < n; i++) {
          const j = t * hop - n / 2 + i;
          if (j >= 0 && j < length) want[j] += window[i] * window[i];
        }
      expect(windowSumSquare(window, hop, frames, length), `n ${n} hop ${hop}`).toEqual(want);
    }
  });
});
