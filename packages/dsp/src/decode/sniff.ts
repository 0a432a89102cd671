/**
 * Which audio format a file holds, from its first bytes (never its name: a `.wav` that is really an
 * MP3 decodes as MP3). Formats that are recognised but not decoded are named, so the error can say so.
 */

export type AudioFormat = 'wav' | 'flac' | 'mp3' | 'ogg';

export type Sniffed = { format: AudioFormat; at: number } | { unsupported: string };

const ascii = (bytes: Uint8Array, at: number, length: number) => String.fromCharCode(...bytes.subarray(at, at + length));

/** Length of an ID3v2 tag at `at` (header, body and optional footer), 0 when there is none. */
export function id3v2Length(bytes: Uint8Array, at = 0): number {
  if (bytes.length < at + 10 || ascii(bytes, at, 3) !== 'ID3') return 0;
  // The size is "syncsafe": four 7-bit groups.
  const size = ((bytes[at + 6] & 0x7f) << 21) | ((bytes[at + 7] & 0x7f) << 14) | ((bytes[at + 8] & 0x7f) << 7) | (bytes[at + 9] & 0x7f);
  const footer = bytes[at + 5] & 0x10 ? 10 : 0;
  return 10 + size + footer;
}

/** Signatures of formats people have that are not decoded here. */
const UNSUPPORTED: { name: string; matches(b: Uint8Array): boolean }[] = [
  { name: 'AAC/MP4', matches: (b) => ascii(b, 4, 4) === 'ftyp' },
  { name: 'WebM/Matroska', matches: (b) => b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3 },
  { name: 'AIFF', matches: (b) => ascii(b, 0, 4) === 'FORM' && ['AIFF', 'AIFC'].includes(ascii(b, 8, 4)) },
  { name: 'CAF', matches: (b) => ascii(b, 0, 4) === 'caff' },
  { name: 'AMR', matches: (b) => ascii(b, 0, 5) === '#!AMR' },
  { name: 'WMA/ASF', matches: (b) => b[0] === 0x30 && b[1] === 0x26 && b[2] === 0xb2 && b[3] === 0x75 },
];

/** The format at the start of `bytes` (after an ID3v2 tag, which MP3 and some FLAC files carry); `at` is where it begins. */
export function sniffAudio(bytes: Uint8Array): Sniffed {
  if (ascii(bytes, 0, 4) === 'RIFF') return { format: 'wav', at: 0 };
  if (ascii(bytes, 0, 4) === 'OggS') return { format: 'ogg', at: 0 };
  const at = id3v2Length(bytes);
  if (ascii(bytes, at, 4) === 'fLaC') return { format: 'flac', at };
  if (bytes[at] === 0xff && (bytes[at + 1] & 0xe0) === 0xe0) {
    // 11 sync bits; layer bits 00 are ADTS (AAC), the others MPEG audio layers III, II, I.
    return (bytes[at + 1] & 0x06) === 0 ? { unsupported: 'AAC (ADTS)' } : { format: 'mp3', at };
  }
  const known = UNSUPPORTED.find((f) => f.matches(bytes));
  if (known) return { unsupported: known.name };
  const head = Array.from(bytes.subarray(0, 4), (x) => x.toString(16).padStart(2, '0')).join(' ');
  return { unsupported: `unrecognised header bytes ${head}` };
}
