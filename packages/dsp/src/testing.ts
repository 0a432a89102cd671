/**
 * Synthetic signals for tests (here and in the packages above): WAV files of any layout the decoder
 * reads or rejects, test tones and a dominant-frequency probe; the committed audio-format fixtures.
 * Exported as `@ser/dsp/testing`.
 */
import { fileURLToPath } from 'node:url';
export interface WavSpec {
  /** 1 = PCM, 3 = float, other tags to test rejection. */
  tag: number;
  bits: number;
  channels: number;
  sampleRate: number;
  /** Interleaved samples in [-1, 1). */
  samples: number[];
  /** Wrap the format in WAVE_FORMAT_EXTENSIBLE. */
  extensible?: boolean;
  /** Extra chunks before fmt / between fmt and data (id, size), odd sizes get a pad byte. */
  chunksBefore?: [string, number][];
  chunksBetween?: [string, number][];
}

function chunk(id: string, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + body.length + (body.length & 1));
  const v = new DataView(out.buffer);
  for (let i = 0; i < 4; i++) out[i] = id.charCodeAt(i);
  v.setUint32(4, body.length, true);
  out.set(body, 8);
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) (out.set(p, at), (at += p.length));
  return out;
}

/** Encode a WAV file (the inverse of the decoder's scaling: x·2^(bits-1), 8-bit offset by 128). */
export function makeWav(spec: WavSpec): Uint8Array {
  const { tag, bits, channels, sampleRate, samples } = spec;
  const bytesPer = bits / 8;
  const fmt = new Uint8Array(spec.extensible ? 40 : 16);
  const f = new DataView(fmt.buffer);
  f.setUint16(0, spec.extensible ? 0xfffe : tag, true);
  f.setUint16(2, channels, true);
  f.setUint32(4, sampleRate, true);
  f.setUint32(8, sampleRate * channels * bytesPer, true);
  f.setUint16(12, channels * bytesPer, true);
  f.setUint16(14, bits, true);
  if (spec.extensible) {
    f.setUint16(16, 22, true);
    f.setUint16(18, bits, true);
    f.setUint32(20, channels === 2 ? 3 : 4, true);
    f.setUint16(24, tag, true); // GUID 0000000X-0000-0010-8000-00aa00389b71
    fmt.set([0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71], 26);
  }
  const data = new Uint8Array(samples.length * bytesPer);
  const d = new DataView(data.buffer);
  samples.forEach((x, i) => {
    const p = i * bytesPer;
    if (tag === 3) bits === 32 ? d.setFloat32(p, x, true) : d.setFloat64(p, x, true);
    else if (bits === 8) d.setUint8(p, Math.round(x * 128) + 128);
    else if (bits === 16) d.setInt16(p, Math.round(x * 32768), true);
    else if (bits === 24) {
      const v = Math.round(x * 8388608);
      d.setUint8(p, v & 0xff);
      d.setUint8(p + 1, (v >> 8) & 0xff);
      d.setInt8(p + 2, v >> 16);
    } else d.setInt32(p, Math.round(x * 2147483648), true);
  });
  const filler = (list: [string, number][] = []) => list.map(([id, size]) => chunk(id, new Uint8Array(size).fill(7)));
  const body = concat([new TextEncoder().encode('WAVE'), ...filler(spec.chunksBefore), chunk('fmt ', fmt), ...filler(spec.chunksBetween), chunk('data', data)]);
  return concat([chunk('RIFF', body)]);
}

/** A 0.5-amplitude sine of `hz` Hz, n samples at 22050 Hz. */
export const tone = (n: number, hz: number): Float32Array => Float32Array.from({ length: n }, (_, i) => 0.5 * Math.sin((2 * Math.PI * hz * i) / 22050));

/** Dominant frequency (Hz) by a direct DFT scan over 50..2000 Hz in 1 Hz steps, middle of the clip. */
export function peakHz(y: Float32Array): number {
  const from = Math.floor(y.length / 4),
    to = Math.floor((3 * y.length) / 4);
  let best = 0,
    bestPower = -1;
  for (let hz = 50; hz <= 2000; hz++) {
    let re = 0,
      im = 0;
    for (let i = from; i < to; i++) {
      re += y[i] * Math.cos((2 * Math.PI * hz * i) / 22050);
      im += y[i] * Math.sin((2 * Math.PI * hz * i) / 22050);
    }
    if (re * re + im * im > bestPower) ((bestPower = re * re + im * im), (best = hz));
  }
  return best;
}

/** Committed fixtures (test/fixtures/audio/make.sh): RAVDESS Actor_01 clips as MP3, OGG Vorbis and Opus. */
export const AUDIO_FIXTURES = fileURLToPath(new URL('../test/fixtures/audio/', import.meta.url));

/** The fixture clip of each lossy format, named as RAVDESS names the recording. */
export const LOSSY_FIXTURES = { mp3: '03-01-05-01-01-01-01.mp3', ogg: '03-01-04-01-01-01-01.ogg', opus: '03-01-03-01-01-01-01.opus' } as const;
