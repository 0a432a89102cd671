/**
 * WAV (RIFF/WAVE) decoding to mono float, as librosa.load does through libsndfile:
 * integer PCM is scaled by 1/2^(bits-1) (8-bit is unsigned, offset 128), IEEE float is taken as is,
 * and channels are averaged (librosa.to_mono) before any resampling.
 * Supports PCM 8/16/24/32-bit, IEEE float 32/64, WAVE_FORMAT_EXTENSIBLE with a PCM or float
 * sub-format, any channel count; unknown chunks (LIST, bext, FLLR, _PMX, ...) are skipped.
 */
import { AudioDecodeError } from './decode/error.ts';

/** A WAV-specific AudioDecodeError (`file: reason`). */
export class WavError extends AudioDecodeError {
  override name = 'WavError';
}

export interface DecodedWav {
  sampleRate: number;
  channels: number;
  /** Mono mix (mean of channels), in [-1, 1) for integer PCM. */
  samples: Float32Array;
}

const FORMAT_PCM = 1;
const FORMAT_FLOAT = 3;
const FORMAT_EXTENSIBLE = 0xfffe;
const FORMAT_NAMES: Record<number, string> = {
  2: 'Microsoft ADPCM',
  6: 'A-law',
  7: 'mu-law',
  0x11: 'IMA ADPCM',
  0x55: 'MPEG layer 3',
};

function fourcc(view: DataView, at: number): string {
  return String.fromCharCode(view.getUint8(at), view.getUint8(at + 1), view.getUint8(at + 2), view.getUint8(at + 3));
}

interface Format {
  tag: number;
  channels: number;
  sampleRate: number;
  blockAlign: number;
  bits: number;
}

function parseFormat(view: DataView, at: number, size: number, fail: (r: string) => never): Format {
  if (size < 16) fail(`fmt chunk is ${size} bytes, needs at least 16`);
  let tag = view.getUint16(at, true);
  const channels = view.getUint16(at + 2, true);
  const sampleRate = view.getUint32(at + 4, true);
  const blockAlign = view.getUint16(at + 12, true);
  const bits = view.getUint16(at + 14, true);
  if (tag === FORMAT_EXTENSIBLE) {
    if (size < 40) fail(`WAVE_FORMAT_EXTENSIBLE fmt chunk is ${size} bytes, needs 40`);
    // The sub-format GUID starts with the plain format tag.
    tag = view.getUint16(at + 24, true);
  }
  if (tag !== FORMAT_PCM && tag !== FORMAT_FLOAT) {
    const name = FORMAT_NAMES[tag] ? ` (${FORMAT_NAMES[tag]})` : '';
    fail(`unsupported format tag 0x${tag.toString(16).padStart(4, '0')}${name}; only PCM and IEEE float are decoded`);
  }
  if (channels === 0) fail('fmt chunk declares 0 channels');
  if (sampleRate === 0) fail('fmt chunk declares a sample rate of 0');
  const ok = tag === FORMAT_PCM ? [8, 16, 24, 32].includes(bits) : bits === 32 || bits === 64;
  if (!ok) fail(`unsupported ${tag === FORMAT_PCM ? 'PCM' : 'float'} sample size of ${bits} bits`);
  if (blockAlign !== channels * (bits / 8)) fail(`block align ${blockAlign} does not match ${channels} channels of ${bits} bits`);
  return { tag, channels, sampleRate, blockAlign, bits };
}

/** Decode WAV bytes; `name` (file path or key) is used in error messages. */
export function decodeWav(bytes: Uint8Array, name: string): DecodedWav {
  const fail = (reason: string): never => {
    throw new WavError(name, reason);
  };
  if (bytes.length === 0) fail('empty file');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const notWav = () => fail('not a WAV file (no RIFF/WAVE header)');
  if (bytes.length >= 4 && fourcc(view, 0) !== 'RIFF') notWav();
  if (bytes.length < 12) fail(`truncated header (${bytes.length} bytes)`);
  if (fourcc(view, 8) !== 'WAVE') notWav();
  let format: Format | null = null;
  let at = 12;
  while (at + 8 <= bytes.length) {
    const id = fourcc(view, at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (id === 'fmt ') {
      if (body + size > bytes.length) fail(`truncated fmt chunk (${size} bytes declared, ${bytes.length - body} present)`);
      format = parseFormat(view, body, size, fail);
    } else if (id === 'data') {
      if (!format) fail('data chunk before fmt chunk');
      const f = format!;
      if (body + size > bytes.length) fail(`truncated data chunk (${size} bytes declared, ${bytes.length - body} present)`);
      if (size % f.blockAlign) fail(`data chunk of ${size} bytes is not a whole number of ${f.blockAlign}-byte frames`);
      const frames = size / f.blockAlign;
      if (frames === 0) fail('data chunk holds no samples');
      return { sampleRate: f.sampleRate, channels: f.channels, samples: mixToMono(view, body, frames, f) };
    }
    // Chunks are padded to an even size.
    at = body + size + (size & 1);
  }
  return fail(format ? 'no data chunk' : 'no fmt chunk');
}

/** Mean of the channels of each frame (librosa.to_mono), after scaling each sample to float. */
function mixToMono(view: DataView, at: number, frames: number, f: Format): Float32Array {
  const out = new Float32Array(frames);
  const { channels, bits, tag } = f;
  if (tag === FORMAT_PCM && bits === 16) return mixInt16(view, at, frames, channels, out);
  const bytesPer = bits / 8;
  const read: (p: number) => number =
    tag === FORMAT_FLOAT
      ? bits === 32
        ? (p) => view.getFloat32(p, true)
        : (p) => view.getFloat64(p, true)
      : bits === 8
        ? (p) => (view.getUint8(p) - 128) / 128
        : bits === 16
          ? (p) => view.getInt16(p, true) / 32768
          : bits === 24
            ? (p) => (view.getUint8(p) | (view.getUint8(p + 1) << 8) | (view.getInt8(p + 2) << 16)) / 8388608
            : (p) => view.getInt32(p, true) / 2147483648;
  let p = at;
  for (let i = 0; i < frames; i++) {
    let sum = 0;
    for (let c = 0; c < channels; c++, p += bytesPer) sum += Math.fround(read(p));
    out[i] = sum / channels;
  }
  return out;
}

/** The common case (16-bit PCM) through an Int16Array view: no per-sample DataView call. */
function mixInt16(view: DataView, at: number, frames: number, channels: number, out: Float32Array): Float32Array {
  const offset = view.byteOffset + at;
  const count = frames * channels;
  // Int16Array needs an even offset and assumes a little-endian host (x86, ARM): copy when misaligned.
  const pcm = offset % 2 === 0 ? new Int16Array(view.buffer, offset, count) : new Int16Array(view.buffer.slice(offset, offset + 2 * count));
  if (channels === 1) {
    for (let i = 0; i < frames; i++) out[i] = pcm[i] / 32768;
    return out;
  }
  for (let i = 0, p = 0; i < frames; i++) {
    let sum = 0;
    for (let c = 0; c < channels; c++, p++) sum += pcm[p] / 32768;
    out[i] = sum / channels;
  }
  return out;
}
