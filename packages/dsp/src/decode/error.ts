/** The one error every audio decoder throws: the file's name, then why it cannot be read. */

/** What decodeAudio reads, in the words of its error messages. */
export const SUPPORTED_FORMATS = 'WAV, FLAC, MP3, OGG Vorbis, Opus';

export class AudioDecodeError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'AudioDecodeError';
  }
}

/** Throws the file's AudioDecodeError. Declare it with this type so TypeScript narrows after a call. */
export type Fail = (reason: string) => never;

/** The Fail of one file, for decoders that check many things. */
export const failFor =
  (file: string): Fail =>
  (reason) => {
    throw new AudioDecodeError(file, reason);
  };
