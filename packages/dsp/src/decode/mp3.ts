/**
 * MP3 (MPEG audio layers I–III) through libmpg123 (the WebAssembly build of mpg123-decoder), gapless:
 * the encoder delay and padding that LAME records in its Info header are removed, so the samples line
 * up with the WAV the MP3 was made from, as ffmpeg and libsndfile decode them.
 */
import type { DecodedWav } from '../wav.ts';
import { failFor, type Fail } from './error.ts';
import { mixChannels } from './mix.ts';
import { walkMpegFrames } from './mpeg-frames.ts';

/** Decode an MP3 whose first frame is at `at` (after an ID3v2 tag, if any). */
export async function decodeMp3(bytes: Uint8Array, name: string, at: number): Promise<DecodedWav> {
  const fail: Fail = failFor(name);
  const stream = walkMpegFrames(bytes, at);
  if (!stream) fail(`not a valid MP3 file (no MPEG audio frame header at byte ${at})`);
  const { truncated, frames, declaredFrames, channels } = stream;
  if (truncated) fail(`truncated MP3 (the frame at byte ${truncated.at} needs ${truncated.length} bytes, ${bytes.length - truncated.at} present)`);
  if (declaredFrames !== null && frames !== declaredFrames)
    fail(`truncated or corrupt MP3 (${frames} of the ${declaredFrames} frames its Info header declares)`);
  if (frames === 0) fail('MP3 file holds no audio frames');

  const { MPEGDecoder } = await import('mpg123-decoder');
  const decoder = new MPEGDecoder();
  await decoder.ready;
  try {
    const decoded = decoder.decode(bytes);
    if (decoded.errors.length) fail(`corrupt MP3 (mpg123: ${decoded.errors[0].message.trim()})`);
    if (decoded.samplesDecoded === 0) fail('MP3 file decodes to no samples');
    return { sampleRate: decoded.sampleRate, channels, samples: mixChannels(decoded.channelData.slice(0, channels)) };
  } finally {
    decoder.free();
  }
}
