/**
 * `decodeAudio(bytes, name)`: any supported audio file to the mono float signal decodeWav returns,
 * the format told by its first bytes. WAV stays on decodeWav (synchronous, librosa's scaling); FLAC,
 * MP3, Ogg Vorbis and Opus go through WebAssembly builds of libFLAC, libmpg123, libvorbis and libopus,
 * each loaded on first use (a process that reads only WAVs never loads them).
 */
import { decodeWav, type DecodedWav } from '../wav.ts';
import { AudioDecodeError, SUPPORTED_FORMATS } from './error.ts';
import { decodeFlac } from './flac.ts';
import { decodeMp3 } from './mp3.ts';
import { decodeOgg } from './ogg.ts';
import { sniffAudio } from './sniff.ts';

/** Decoded audio: the same shape for every format. */
export type DecodedAudio = DecodedWav;

/** Decode an audio file; `name` (its path or key) starts every error message. Throws AudioDecodeError. */
export async function decodeAudio(bytes: Uint8Array, name: string): Promise<DecodedAudio> {
  if (bytes.length === 0) throw new AudioDecodeError(name, 'empty file');
  const sniffed = sniffAudio(bytes);
  if ('unsupported' in sniffed) throw new AudioDecodeError(name, `unsupported audio format (${sniffed.unsupported}); supported: ${SUPPORTED_FORMATS}`);
  switch (sniffed.format) {
    case 'wav':
      return decodeWav(bytes, name);
    case 'flac':
      return decodeFlac(bytes, name, sniffed.at);
    case 'mp3':
      return decodeMp3(bytes, name, sniffed.at);
    case 'ogg':
      return decodeOgg(bytes, name);
  }
}
