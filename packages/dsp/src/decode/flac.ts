/**
 * FLAC through libFLAC (the WebAssembly build of @wasm-audio-decoders/flac), one frame per call as
 * splitFlacFrames cuts them. Gives exactly the samples of the WAV the FLAC was made from: integers
 * scaled by 1/2^(bits-1), as decodeWav scales them (libFLAC's floats are n / (2^(bits-1) - 1); n is
 * recovered by rounding, exactly up to 24 bits).
 */
import type { DecodedWav } from '../wav.ts';
import { failFor, type Fail } from './error.ts';
import { splitFlacFrames } from './flac-frames.ts';
import { mixChannels } from './mix.ts';

interface StreamInfo {
  sampleRate: number;
  channels: number;
  /** 0 when the encoder did not know it (a stream). */
  totalSamples: number;
  /** Where the first audio frame starts. */
  audioStart: number;
}

const METADATA_STREAMINFO = 0;

/** The STREAMINFO block and the end of the metadata blocks, from `at` (the "fLaC" marker). */
function readStreamInfo(bytes: Uint8Array, at: number, fail: Fail): StreamInfo {
  let info: Omit<StreamInfo, 'audioStart'> | null = null;
  let p = at + 4;
  for (let last = false; !last;) {
    if (p + 4 > bytes.length) fail(`truncated FLAC (metadata ends at byte ${bytes.length})`);
    last = (bytes[p] & 0x80) !== 0;
    const type = bytes[p] & 0x7f;
    const length = (bytes[p + 1] << 16) | (bytes[p + 2] << 8) | bytes[p + 3];
    const body = p + 4;
    if (body + length > bytes.length) fail(`truncated FLAC (metadata block at byte ${p} needs ${length} bytes, ${bytes.length - body} present)`);
    if (type === METADATA_STREAMINFO) {
      // After min/max block size (2 + 2 bytes) and min/max frame size (3 + 3): 20 bits rate,
      // 3 bits channels - 1, 5 bits bits per sample - 1, 36 bits total samples.
      const b = bytes.subarray(body + 10, body + 18);
      info = {
        sampleRate: (b[0] << 12) | (b[1] << 4) | (b[2] >> 4),
        channels: ((b[2] >> 1) & 0x07) + 1,
        // 36 bits: too wide for JavaScript's 32-bit integer operators.
        totalSamples: (b[3] & 0x0f) * 2 ** 32 + ((b[4] << 24) >>> 0) + ((b[5] << 16) | (b[6] << 8) | b[7]),
      };
    }
    p = body + length;
  }
  if (!info) return fail('not a valid FLAC file (no STREAMINFO block)');
  return { ...info, audioStart: p };
}

/** libFLAC's n / (2^(b-1) - 1) as n / 2^(b-1). */
function rescale(channel: Float32Array, bits: number): Float32Array {
  const libflac = 2 ** (bits - 1) - 1;
  const wav = 2 ** (bits - 1);
  const out = new Float32Array(channel.length);
  if (bits > 24) for (let i = 0; i < channel.length; i++) out[i] = (channel[i] * libflac) / wav;
  else for (let i = 0; i < channel.length; i++) out[i] = Math.round(channel[i] * libflac) / wav;
  return out;
}

/** Decode a FLAC file whose "fLaC" marker is at `at` (after an ID3v2 tag, if any). */
export async function decodeFlac(bytes: Uint8Array, name: string, at: number): Promise<DecodedWav> {
  const fail: Fail = failFor(name);
  const info = readStreamInfo(bytes, at, fail);
  const { frames, rest } = splitFlacFrames(bytes.subarray(info.audioStart));
  if (rest.length) fail(`truncated or corrupt FLAC (the frame at byte ${bytes.length - rest.length} is incomplete)`);
  if (frames.length === 0) fail('FLAC file holds no audio frames');

  const { FLACDecoder } = await import('@wasm-audio-decoders/flac');
  const decoder = new FLACDecoder();
  await decoder.ready;
  try {
    const decoded = await decoder.decodeFrames(frames);
    if (decoded.errors.length) fail(`corrupt FLAC (libFLAC: ${decoded.errors[0].message} at frame ${decoded.errors[0].frameNumber})`);
    if (info.totalSamples && decoded.samplesDecoded !== info.totalSamples)
      fail(`truncated FLAC (decoded ${decoded.samplesDecoded} of the ${info.totalSamples} samples STREAMINFO declares)`);
    return {
      sampleRate: info.sampleRate,
      channels: info.channels,
      samples: mixChannels(decoded.channelData.map((c) => rescale(c, decoded.bitDepth))),
    };
  } finally {
    decoder.free();
  }
}
