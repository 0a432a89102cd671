/**
 * Ogg Vorbis through libvorbis (@wasm-audio-decoders/ogg-vorbis) and Ogg Opus through libopus
 * (ogg-opus-decoder), both WebAssembly builds. Opus always decodes at 48 kHz (its granule clock);
 * its pre-skip (the encoder delay) and the end trim of the last page are applied by the decoder.
 */
import type { DecodedWav } from '../wav.ts';
import { SUPPORTED_FORMATS, failFor, type Fail } from './error.ts';
import { mixChannels } from './mix.ts';
import { walkOggPages } from './ogg-pages.ts';

interface OggDecoder {
  ready: Promise<void>;
  decodeFile(bytes: Uint8Array): Promise<{ channelData: Float32Array[]; samplesDecoded: number; sampleRate: number; errors: { message: string }[] }>;
  free(): void;
}

const DECODERS: Record<string, { label: string; load(): Promise<OggDecoder> }> = {
  vorbis: { label: 'OGG Vorbis', load: async () => new (await import('@wasm-audio-decoders/ogg-vorbis')).OggVorbisDecoder() },
  opus: { label: 'Opus', load: async () => new (await import('ogg-opus-decoder')).OggOpusDecoder() },
};

/** Decode an Ogg file holding Vorbis or Opus. */
export async function decodeOgg(bytes: Uint8Array, name: string): Promise<DecodedWav> {
  const fail: Fail = failFor(name);
  const { codec, truncated } = walkOggPages(bytes);
  const kind = DECODERS[codec];
  if (!kind) fail(`unsupported audio format (Ogg ${codec}); supported: ${SUPPORTED_FORMATS}`);
  if (truncated) fail(`truncated ${kind.label} (${truncated})`);
  const decoder = await kind.load();
  await decoder.ready;
  try {
    const decoded = await decoder.decodeFile(bytes);
    if (decoded.errors.length) fail(`corrupt ${kind.label} (${decoded.errors[0].message.trim()})`);
    if (decoded.samplesDecoded === 0) fail(`${kind.label} file decodes to no samples`);
    return { sampleRate: decoded.sampleRate, channels: decoded.channelData.length, samples: mixChannels(decoded.channelData) };
  } finally {
    decoder.free();
  }
}
