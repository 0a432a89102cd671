/**
 * The page structure of an Ogg stream (RFC 3533), walked before decoding: the decoders stop quietly
 * at the last whole page, so a truncated file would otherwise decode as a shorter clip. Also names
 * the codec from the first packet.
 */

export interface OggStream {
  /** The first packet's codec: 'vorbis' and 'opus' are decoded; others are named in errors. */
  codec: 'vorbis' | 'opus' | string;
  /** Set when the file ends before the end-of-stream page: where, and what is missing. */
  truncated: string | null;
}

const HEADER = 27;
const EOS = 0x04;

const ascii = (b: Uint8Array, at: number, n: number) => String.fromCharCode(...b.subarray(at, at + n));

/** The codec of a stream's first packet (its identification header). */
function codecOf(packet: Uint8Array): string {
  if (ascii(packet, 0, 7) === '\x01vorbis') return 'vorbis';
  if (ascii(packet, 0, 8) === 'OpusHead') return 'opus';
  if (ascii(packet, 0, 5) === '\x7fFLAC') return 'FLAC';
  if (ascii(packet, 0, 8) === 'Speex   ') return 'Speex';
  if (ascii(packet, 0, 7) === '\x80theora') return 'Theora';
  return 'an unknown codec';
}

/** Walk every page of the first logical stream; pages of other streams (multiplexed) are stepped over. */
export function walkOggPages(bytes: Uint8Array): OggStream {
  let codec = 'an unknown codec';
  let serial: number | null = null;
  for (let p = 0; p < bytes.length;) {
    if (p + HEADER > bytes.length) return { codec, truncated: `the page header at byte ${p} is incomplete` };
    if (ascii(bytes, p, 4) !== 'OggS') return { codec, truncated: `no Ogg page at byte ${p} (lost sync)` };
    const view = new DataView(bytes.buffer, bytes.byteOffset + p, HEADER);
    const flags = view.getUint8(5);
    const pageSerial = view.getUint32(14, true);
    const segments = view.getUint8(26);
    if (p + HEADER + segments > bytes.length) return { codec, truncated: `the segment table at byte ${p + HEADER} is incomplete` };
    let body = 0;
    for (let s = 0; s < segments; s++) body += bytes[p + HEADER + s];
    const start = p + HEADER + segments;
    if (start + body > bytes.length) return { codec, truncated: `the page at byte ${p} needs ${start + body - p} bytes, ${bytes.length - p} present` };
    if (serial === null) {
      serial = pageSerial;
      codec = codecOf(bytes.subarray(start, start + body));
    }
    if (pageSerial === serial && flags & EOS) return { codec, truncated: null };
    p = start + body;
  }
  return { codec, truncated: 'no end-of-stream page' };
}
