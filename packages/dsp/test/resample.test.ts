/** The resampler's response (soxr HQ's: flat passband, -6 dB at 0.957 of the lower Nyquist, >= 100 dB stopband). */
import { describe, expect, it } from 'vitest';
import { resample, resampledLength } from '../src/resample.ts';

const tone = (f: number, sr: number, n: number, amp = 0.5) => Float32Array.from({ length: n }, (_, i) => amp * Math.sin((2 * Math.PI * f * i) / sr));

/** Amplitude at frequency f: Hann-windowed DTFT of the interior (edges skipped; Hann leakage is < -150 dB a few hundred bins away). */
function amplitude(y: Float32Array, f: number, sr: number): number {
  const a = 2000,
    b = y.length - 2000,
    n = b - a;
  let re = 0,
    im = 0,
    wsum = 0;
  for (let i = a; i < b; i++) {
    const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * (i - a)) / n);
    const ph = (2 * Math.PI * f * i) / sr;
    ((re += w * y[i] * Math.cos(ph)), (im += w * y[i] * Math.sin(ph)), (wsum += w));
  }
  return (2 * Math.hypot(re, im)) / wsum;
}
const dB = (x: number) => 20 * Math.log10(x);

describe('resample', () => {
  it('output length is ceil(n · out / in) like librosa', () => {
    for (const [n, a, b] of [
      [172972, 48000, 22050],
      [1000, 44100, 22050],
      [999, 16000, 22050],
      [12345, 8000, 22050],
      [777, 22050, 22050],
    ]) {
      expect(resample(new Float32Array(n), a, b).length).toBe(Math.ceil((n * b) / a));
      expect(resampledLength(n, a, b)).toBe(Math.ceil((n * b) / a));
    }
  });

  it('48000 -> 22050: flat passband, soxr HQ transition, stopband rejected', () => {
    const n = 48000;
    // Measured soxr HQ values (python-soxr 1.1.0): -0.0071 dB at 0.9, -2.83 at 0.95, -34.3 at 0.98 of 11025 Hz.
    const cases: [number, number, number][] = [
      [1000, 0, 0.001],
      [0.9 * 11025, -0.0071, 0.002],
      [0.95 * 11025, -2.83, 0.02],
      [0.98 * 11025, -34.34, 0.1],
    ];
    for (const [f, expected, tol] of cases) {
      const y = resample(tone(f, 48000, n), 48000, 22050);
      expect(Math.abs(dB(amplitude(y, f, 22050) / 0.5) - expected)).toBeLessThan(tol);
    }
    // 12 kHz is above the output Nyquist: it must not alias down (it would appear at 10050 Hz).
    const alias = resample(tone(12000, 48000, n), 48000, 22050);
    expect(dB(amplitude(alias, 22050 - 12000, 22050) / 0.5)).toBeLessThan(-100);
  });

  it('upsampling 16000 -> 22050 keeps the band and creates no images', () => {
    const y = resample(tone(3000, 16000, 32000), 16000, 22050);
    expect(Math.abs(dB(amplitude(y, 3000, 22050) / 0.5))).toBeLessThan(0.001);
    // An image of 3 kHz around 16 kHz would sit at 13 kHz, above 22050/2 it would fold to 9050 Hz.
    expect(dB(amplitude(y, 9050, 22050) / 0.5)).toBeLessThan(-100);
  });

  it('any ratio (pitch-shift style, sr / 2^(n/12) -> sr) matches the FFT path', () => {
    const x = Float32Array.from({ length: 30000 }, (_, i) => 0.3 * Math.sin(i / 9) + 0.2 * Math.sin(i / 2.5) + 0.1 * Math.sin(i * 0.9));
    const fft = resample(x, 48000, 22050);
    // A non-integer rate takes the direct path; the ratio differs from 48000/22050 by 1e-15.
    const direct = resample(x, 48000 * (1 + 1e-15), 22050);
    expect(direct.length).toBe(fft.length);
    let se = 0,
      ss = 0;
    for (let i = 0; i < fft.length; i++) ((se += (fft[i] - direct[i]) ** 2), (ss += fft[i] ** 2));
    // The two differ by what the any-ratio path's 16-tap interpolator lets through (~ -118 dB).
    expect(Math.sqrt(se / ss)).toBeLessThan(1e-5);

    const sr = 22050 / 2 ** (2 / 12);
    const y = resample(tone(1000, sr, 20000), sr, 22050);
    expect(y.length).toBe(Math.ceil((20000 * 22050) / sr));
    expect(Math.abs(dB(amplitude(y, 1000, 22050) / 0.5))).toBeLessThan(0.001);
  });

  it('rejects non-positive rates', () => {
    expect(() => resample(new Float32Array(10), 0, 22050)).toThrow(/positive/);
    expect(() => resample(new Float32Array(10), 48000, -1)).toThrow(/positive/);
  });
});
