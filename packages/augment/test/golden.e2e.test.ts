import { resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { timeStretch } from '@ser/dsp';
import { melParams } from '@ser/features/params';
import { clipLogMel } from '@ser/features';
import { pitchShift } from '../src/pitch.ts';

const DIR = resolve(import.meta.dirname, '../../../../shared/golden/ravdess-augment') + '/';
interface Entry {
  file: string;
  trimmed: string;
  length: number;
  outputs: Record<string, { file: string; length: number }>;
}
const index = JSON.parse(readFileSync(DIR + 'index.json', 'utf8')) as { files: Entry[] };
const f32 = (name: string) => {
  const b = readFileSync(DIR + name);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
};

/** Max and RMS absolute error, and the reference peak. */
function errors(got: Float32Array, want: Float32Array) {
  let max = 0,
    sq = 0,
    peak = 0;
  for (let i = 0; i < want.length; i++) {
    const e = Math.abs(got[i] - want[i]);
    max = Math.max(max, e);
    sq += e * e;
    peak = Math.max(peak, Math.abs(want[i]));
  }
  return { max, rms: Math.sqrt(sq / want.length), peak };
}

describe('timeStretch vs librosa.effects.time_stretch', () => {
  for (const entry of index.files)
    for (const rate of [1.1, 0.8]) {
      it(`${entry.file} rate ${rate}`, () => {
        const want = f32(entry.outputs[`stretch${rate}`].file);
        const got = timeStretch(f32(entry.trimmed), rate);
        expect(got.length).toBe(want.length);
        const e = errors(got, want);
        console.log(JSON.stringify({ clip: entry.file, rate, ...e }));
        // Float rounding: within a few float32 ulps of the peak (2^-24 = 6e-8 relative). librosa's
        // float32 phase accumulator turns any one-ulp angle difference into a visible phase step,
        // so this only holds because atan2f reproduces glibc's bits. The float32 inverse FFTs
        // (numpy: float64) add about half an ulp of rms (measured 2.2e-8 of the peak at worst).
        expect(e.max / e.peak).toBeLessThan(5e-7);
        expect(e.rms / e.peak).toBeLessThan(4e-8);
      });
    }
});

/** Mean absolute difference (dB) between the log-Mel spectrograms of two clips (mel defaults). */
function logMelMad(a: Float32Array, b: Float32Array): number {
  const mel = melParams.parse({});
  const x = clipLogMel(a, 22050, mel).logmel,
    y = clipLogMel(b, 22050, mel).logmel;
  let s = 0;
  for (let i = 0; i < x.length; i++) s += Math.abs(x[i] - y[i]);
  return s / x.length;
}

describe('pitchShift vs librosa.effects.pitch_shift (soxr_hq)', () => {
  for (const entry of index.files)
    for (const steps of [2, -3]) {
      it(`${entry.file} ${steps > 0 ? '+' : ''}${steps} semitones`, () => {
        const y = f32(entry.trimmed);
        const want = f32(entry.outputs[`pitch${steps > 0 ? '+' : ''}${steps}`].file);
        const got = pitchShift(y, 22050, steps);
        expect(got.length).toBe(want.length);
        expect(got.length).toBe(y.length);
        const mad = logMelMad(got, want);
        console.log(JSON.stringify({ clip: entry.file, steps, logMelMadDb: mad, ...errors(got, want) }));
        // Our resampler is soxr-HQ-like, not soxr itself: compare what the model sees.
        expect(mad).toBeLessThan(0.05); // the issue asks for < 0.25 dB
      });
    }
});
