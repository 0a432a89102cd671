/**
 * FLAC audio frames, split without a parser package: libFLAC (through @wasm-audio-decoders/flac)
 * decodes one frame per call, and the package's own splitter (codec-parser 2.5.0) drops the last
 * frame or two of many files (it confirms a frame by the header after it and gives up near the end
 * of the buffer: 176,128 of 176,176 samples on one RAVDESS file, 184,320 of 185,786 on another).
 *
 * A frame ends where its CRC-16 footer checks out (the running CRC of the bytes since the frame's
 * start is 0) and either the data ends or the next frame's header follows: a sync code, a header
 * whose CRC-8 checks out, and the frame (or sample) number that continues the stream. A zero CRC
 * and a sync code by chance inside a frame do happen in quiet, repetitive audio; all three do not.
 */

/** Byte-wise table of a CRC (MSB first, initial value 0) with the given polynomial and width. */
function crcTable(polynomial: number, bits: number): Uint16Array {
  const top = 1 << (bits - 1),
    mask = (1 << bits) - 1;
  return Uint16Array.from({ length: 256 }, (_, byte) => {
    let crc = byte << (bits - 8);
    for (let k = 0; k < 8; k++) crc = crc & top ? ((crc << 1) ^ polynomial) & mask : (crc << 1) & mask;
    return crc;
  });
}

/** FLAC's CRC-16 (frame footer): x^16 + x^15 + x^2 + 1; CRC-8 (frame header): x^8 + x^2 + x + 1. */
const CRC16 = crcTable(0x8005, 16);
const CRC8 = crcTable(0x07, 8);

interface FrameHeader {
  /** Frame number (fixed block size) or first sample number (variable block size). */
  number: number;
  variable: boolean;
  blockSize: number;
}

/** The block size a header's 4-bit code gives, with the extra bytes that codes 6 and 7 read. */
function blockSizeOf(code: number, extra: number): number {
  if (code === 1) return 192;
  if (code <= 5) return 576 << (code - 2);
  if (code <= 7) return extra + 1;
  return 256 << (code - 8);
}

/** The frame header at `at` (RFC 9639 §9.1), or null when the bytes there are not a valid one. */
function frameHeader(b: Uint8Array, at: number): FrameHeader | null {
  if (at + 6 > b.length || b[at] !== 0xff || (b[at + 1] & 0xfe) !== 0xf8) return null;
  const blockCode = b[at + 2] >> 4,
    rateCode = b[at + 2] & 0x0f;
  if (blockCode === 0 || rateCode === 15 || b[at + 3] >> 4 > 10 || b[at + 3] & 1) return null;
  // The frame or sample number, coded like UTF-8 (up to 7 bytes, 36 bits).
  const lead = b[at + 4];
  const length =
    lead < 0x80 ? 1 : lead < 0xc0 ? 0 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : lead < 0xf8 ? 4 : lead < 0xfc ? 5 : lead < 0xfe ? 6 : lead === 0xfe ? 7 : 0;
  if (!length) return null;
  let number = length === 1 ? lead : lead & (0x7f >> length);
  let p = at + 5;
  for (let k = 1; k < length; k++, p++) {
    if (p >= b.length || (b[p] & 0xc0) !== 0x80) return null;
    number = number * 64 + (b[p] & 0x3f);
  }
  const blockBytes = blockCode === 6 ? 1 : blockCode === 7 ? 2 : 0;
  const rateBytes = rateCode === 12 ? 1 : rateCode === 13 || rateCode === 14 ? 2 : 0;
  if (p + blockBytes + rateBytes >= b.length) return null;
  const extra = blockBytes === 1 ? b[p] : blockBytes === 2 ? (b[p] << 8) | b[p + 1] : 0;
  p += blockBytes + rateBytes;
  let crc = 0;
  for (let q = at; q < p; q++) crc = CRC8[crc ^ b[q]];
  if (crc !== b[p]) return null;
  return { number, variable: (b[at + 1] & 1) === 1, blockSize: blockSizeOf(blockCode, extra) };
}

/** Whether `next` is the frame that follows `frame` in the stream. */
const follows = (next: FrameHeader, frame: FrameHeader) =>
  next.variable === frame.variable && next.number === frame.number + (frame.variable ? frame.blockSize : 1);

export interface FlacFrames {
  frames: Uint8Array[];
  /** Bytes after the last whole frame: empty for an intact file. */
  rest: Uint8Array;
}

/** The shortest frame: header (6+ bytes) and footer (2). */
const MIN_FRAME = 8;

/** Split the audio part of a FLAC file (everything after the metadata blocks) into frames. */
export function splitFlacFrames(audio: Uint8Array): FlacFrames {
  const frames: Uint8Array[] = [];
  let header = frameHeader(audio, 0);
  let start = 0;
  let crc = 0;
  for (let p = 0; header && p < audio.length; p++) {
    crc = ((crc << 8) & 0xffff) ^ CRC16[(crc >> 8) ^ audio[p]];
    const end = p + 1;
    if (crc !== 0 || end - start < MIN_FRAME) continue;
    const next = end < audio.length ? frameHeader(audio, end) : null;
    if (end < audio.length && !(next && follows(next, header))) continue;
    frames.push(audio.subarray(start, end));
    ((start = end), (header = next));
  }
  return { frames, rest: audio.subarray(start) };
}
