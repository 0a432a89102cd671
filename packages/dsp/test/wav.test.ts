import { describe, expect, it } from 'vitest';
import { decodeWav, WavError } from '../src/wav.ts';
import { makeWav } from '../src/testing.ts';

// Values exactly representable at every bit depth tested (multiples of 1/128).
const stereo = [0.5, -0.25, -1, 0.75, 0.125, 0, -0.5, -0.5];
const mono = (s: number[], c: number) => Array.from({ length: s.length / c }, (_, i) => s.slice(i * c, i * c + c).reduce((a, b) => a + b) / c);

describe('decodeWav formats', () => {
  const cases: [string, number, number][] = [
    ['PCM 8-bit', 1, 8],
    ['PCM 16-bit', 1, 16],
    ['PCM 24-bit', 1, 24],
    ['PCM 32-bit', 1, 32],
    ['float 32', 3, 32],
    ['float 64', 3, 64],
  ];
  for (const [label, tag, bits] of cases)
    for (const extensible of [false, true])
      it(`${label}${extensible ? ' (extensible)' : ''}, stereo mixed to mono`, () => {
        const w = decodeWav(makeWav({ tag, bits, channels: 2, sampleRate: 16000, samples: stereo, extensible }), 'x.wav');
        expect(w.sampleRate).toBe(16000);
        expect(w.channels).toBe(2);
        expect(Array.from(w.samples)).toEqual(mono(stereo, 2));
      });

  it('any channel count: 6 channels', () => {
    const s = Array.from({ length: 60 }, (_, i) => ((i % 13) - 6) / 16);
    const w = decodeWav(makeWav({ tag: 1, bits: 16, channels: 6, sampleRate: 8000, samples: s }), 'six.wav');
    expect(w.channels).toBe(6);
    // Mean in float64 then rounded to float32: tolerance is float32 rounding.
    mono(s, 6).forEach((v, i) => expect(w.samples[i]).toBeCloseTo(v, 6));
  });

  it('skips unknown chunks (odd sizes padded) before and after fmt', () => {
    const bytes = makeWav({
      tag: 1,
      bits: 16,
      channels: 1,
      sampleRate: 48000,
      samples: [0.5, -0.5],
      chunksBefore: [
        ['FLLR', 3],
        ['bext', 602],
      ],
      chunksBetween: [
        ['_PMX', 17],
        ['LIST', 26],
      ],
    });
    expect(Array.from(decodeWav(bytes, 'r.wav').samples)).toEqual([0.5, -0.5]);
  });
});

describe('decodeWav bad input names the file and the reason', () => {
  const good = makeWav({ tag: 1, bits: 16, channels: 1, sampleRate: 8000, samples: [0.1, 0.2, 0.3, 0.4] });
  const expectError = (bytes: Uint8Array, reason: RegExp) => {
    let err: unknown;
    try {
      decodeWav(bytes, 'bad/file.wav');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(WavError);
    expect((err as WavError).message).toMatch(/^bad\/file\.wav: /);
    expect((err as WavError).reason).toMatch(reason);
  };
  it('empty file', () => expectError(new Uint8Array(0), /empty/));
  it('truncated header', () => expectError(good.subarray(0, 10), /truncated header/));
  it('truncated fmt chunk', () => expectError(good.subarray(0, 28), /truncated fmt/));
  it('truncated data chunk', () => expectError(good.subarray(0, good.length - 3), /truncated data chunk/));
  it('no data chunk', () => expectError(good.subarray(0, 36), /no data chunk/));
  it('non-WAV text', () => expectError(new TextEncoder().encode('id,path,label\n1,a.wav,angry\n'), /not a WAV/));
  it('A-law', () => expectError(makeWav({ tag: 6, bits: 8, channels: 1, sampleRate: 8000, samples: [0] }), /0x0006 \(A-law\)/));
  it('ADPCM', () => expectError(makeWav({ tag: 2, bits: 8, channels: 1, sampleRate: 8000, samples: [0] }), /Microsoft ADPCM/));
  it('extensible with an A-law sub-format', () =>
    expectError(makeWav({ tag: 6, bits: 8, channels: 1, sampleRate: 8000, samples: [0], extensible: true }), /A-law/));
  it('unsupported bit depth', () => expectError(makeWav({ tag: 3, bits: 16, channels: 1, sampleRate: 8000, samples: [] }), /float sample size of 16 bits/));
  it('empty data chunk', () => expectError(makeWav({ tag: 1, bits: 16, channels: 1, sampleRate: 8000, samples: [] }), /no samples/));
  it('partial sample frame', () => {
    const bytes = makeWav({ tag: 1, bits: 16, channels: 2, sampleRate: 8000, samples: [0.1, 0.2, 0.3, 0.4] });
    // Shrink the data chunk by one byte: 7 bytes is not a whole number of 4-byte frames.
    const v = new DataView(bytes.buffer);
    v.setUint32(40, 7, true);
    expectError(bytes, /whole number/);
  });
});
