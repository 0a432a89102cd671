/**
 * The frame structure of an MPEG audio stream (ISO/IEC 11172-3 and 13818-3 headers), walked before
 * decoding so that a truncated file is an error rather than a shorter clip: mpg123 decodes whatever
 * whole frames it gets and says nothing about the rest.
 */

export interface MpegStream {
  sampleRate: number;
  /** 1 for single-channel mode, else 2 (mpg123 returns two identical channels for mono). */
  channels: number;
  /** Audio frames (a leading Xing/Info frame is not one). */
  frames: number;
  /** Audio frames declared by a Xing/Info header (LAME writes one), or null. */
  declaredFrames: number | null;
  /** Set when the file ends inside a frame: where that frame starts, how long it is. */
  truncated: { at: number; length: number } | null;
}

// Bitrates in kbit/s by [MPEG-1 ? 0 : 1][layer index 1..3 = III, II, I][bitrate index].
const BITRATES = [
  [
    [],
    [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
    [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
    [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
  ],
  [
    [],
    [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
    [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
    [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
  ],
];
// Sample rates by version bits (0 = MPEG-2.5, 2 = MPEG-2, 3 = MPEG-1) and rate index.
const RATES: Record<number, number[]> = { 0: [11025, 12000, 8000], 2: [22050, 24000, 16000], 3: [44100, 48000, 32000] };

interface FrameHeader {
  length: number;
  sampleRate: number;
  mono: boolean;
}

/** The frame header at `at`, or null when the bytes there are not one (or are free-format). */
function frameHeader(b: Uint8Array, at: number): FrameHeader | null {
  if (at + 4 > b.length || b[at] !== 0xff || (b[at + 1] & 0xe0) !== 0xe0) return null;
  const version = (b[at + 1] >> 3) & 3;
  const layer = (b[at + 1] >> 1) & 3;
  const bitrateIndex = b[at + 2] >> 4;
  const rateIndex = (b[at + 2] >> 2) & 3;
  if (version === 1 || layer === 0 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) return null;
  const bitrate = BITRATES[version === 3 ? 0 : 1][layer][bitrateIndex] * 1000;
  const sampleRate = RATES[version][rateIndex];
  const padding = (b[at + 2] >> 1) & 1;
  const length =
    layer === 3
      ? (Math.floor((12 * bitrate) / sampleRate) + padding) * 4
      : Math.floor(((layer === 1 && version !== 3 ? 72 : 144) * bitrate) / sampleRate) + padding;
  return { length, sampleRate, mono: b[at + 3] >> 6 === 3 };
}

const ascii = (b: Uint8Array, at: number, n: number) => String.fromCharCode(...b.subarray(at, at + n));

/** A Xing/Info header inside the frame at [at, at + length): its frame count when it declares one. */
function xingHeader(b: Uint8Array, at: number, length: number): { frames: number | null } | null {
  // The tag follows the side information: 9..32 bytes after the 4-byte header, by version and mode.
  for (let p = at + 4; p + 12 <= at + Math.min(length, 48); p++) {
    const tag = ascii(b, p, 4);
    if (tag !== 'Xing' && tag !== 'Info') continue;
    // Four flag bytes follow the tag, big-endian; bit 0 says a frame count comes next.
    const hasFrames = (b[p + 7] & 1) === 1;
    return { frames: hasFrames ? ((b[p + 8] << 24) | (b[p + 9] << 16) | (b[p + 10] << 8) | b[p + 11]) >>> 0 : null };
  }
  return null;
}

/** Walk the frames from `at` until the bytes stop looking like frames (ID3v1/APE tags, padding) or the file ends. */
export function walkMpegFrames(bytes: Uint8Array, at: number): MpegStream | null {
  const first = frameHeader(bytes, at);
  if (!first) return null;
  const xing = xingHeader(bytes, at, first.length);
  const declaredFrames = xing?.frames ?? null;
  let p = xing ? at + first.length : at;
  let frames = 0;
  for (let h = frameHeader(bytes, p); h; h = frameHeader(bytes, p)) {
    if (p + h.length > bytes.length)
      return { sampleRate: first.sampleRate, channels: first.mono ? 1 : 2, frames, declaredFrames, truncated: { at: p, length: h.length } };
    frames++;
    p += h.length;
  }
  return { sampleRate: first.sampleRate, channels: first.mono ? 1 : 2, frames, declaredFrames, truncated: null };
}
