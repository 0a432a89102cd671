/**
 * The whole feature pipeline for one clip, as the original project ran it with librosa 0.10:
 * load(path) (mono, resampled to 22050 Hz with soxr HQ) -> effects.trim(top_db=25) ->
 * melspectrogram + power_to_db(ref=np.max) -> 128 frames. Used by the trim and mel stages,
 * the one-file command, prediction and the UI's "try it" page (bundled for the browser, so nothing
 * here may import Node modules). Only type imports of the params: pool workers load this
 * module, and they start faster without Arrow and zod.
 */
import { decodeAudio, resample, type DecodedAudio } from '@ser/dsp';
import type { MelParams, TrimParams } from './params.ts';
import { fixFrames, logMelSpectrogram } from './mel.ts';
import { trimSilence } from './trim.ts';

/** A clip that has no sound above the trim floor: reported and excluded, not crashed on. */
export class SilentClipError extends Error {
  constructor(readonly file: string) {
    super(`${file}: all-silent clip (no frame RMS above 1e-5), nothing to trim to`);
    this.name = 'SilentClipError';
  }
}

/** Decoded, resampled and trimmed audio of one clip (one row of the trim stage's `audio` table). */
export interface TrimmedClip {
  sourceRate: number;
  sourceChannels: number;
  /** Trim interval [trimStart, trimEnd) in samples at the target rate. */
  trimStart: number;
  trimEnd: number;
  /** The trimmed signal at `TrimParams.sampleRate`. */
  audio: Float32Array;
}

/** bytes -> decode (any supported format) -> mono -> resample -> trim. Throws AudioDecodeError / SilentClipError naming `name`. */
export async function loadTrimmed(bytes: Uint8Array, name: string, params: TrimParams): Promise<TrimmedClip> {
  return trimDecoded(await decodeAudio(bytes, name), name, params);
}

/** Decoded audio (a file, or a microphone recording at the browser's rate) -> resample -> trim. */
export function trimDecoded(decoded: DecodedAudio, name: string, params: TrimParams): TrimmedClip {
  const y = resample(decoded.samples, decoded.sampleRate, params.sampleRate);
  const interval = trimSilence(y, params);
  if (!interval) throw new SilentClipError(name);
  return {
    sourceRate: decoded.sampleRate,
    sourceChannels: decoded.channels,
    trimStart: interval.start,
    trimEnd: interval.end,
    audio: y.slice(interval.start, interval.end),
  };
}

/** Log-Mel [nMels][frames] of trimmed audio, unpadded, with librosa's settings from `params`. */
export function clipLogMel(audio: Float32Array, sampleRate: number, params: MelParams): { logmel: Float32Array; frames: number } {
  return logMelSpectrogram(audio, { sampleRate, ...params });
}

/** The model input: log-Mel fixed to `params.frames` frames (padMode `constant` with pad value null = the floor, -topDb). */
export function clipTensor(audio: Float32Array, sampleRate: number, params: MelParams): { logmel: Float32Array; frames: number } {
  const { logmel, frames } = clipLogMel(audio, sampleRate, params);
  const pad = params.padMode === 'wrap' ? 'wrap' : (params.padValue ?? -params.topDb);
  return { logmel: fixFrames(logmel, params.nMels, frames, params.frames, pad), frames };
}

/** One clip's features: the row of the one-file command (`ser features IN`). */
export interface FeatureRow extends Omit<TrimmedClip, 'audio'> {
  id: string;
  /** Real frames before padding/truncation. */
  frames: number;
  /** [nMels, T]: T = frames when raw, else params.frames. */
  shape: [number, number];
  logmel: Float32Array;
}

/** Audio file bytes -> features. `raw` keeps all frames instead of fixing them to `mel.frames`. */
export async function extractFeatures(bytes: Uint8Array, name: string, trim: TrimParams, mel: MelParams, raw = false): Promise<FeatureRow> {
  return decodedFeatures(await decodeAudio(bytes, name), name, trim, mel, raw);
}

/** Decoded audio -> features: extractFeatures after the decoding (the UI's microphone path). */
export function decodedFeatures(decoded: DecodedAudio, name: string, trim: TrimParams, mel: MelParams, raw = false): FeatureRow {
  const { audio, ...clip } = trimDecoded(decoded, name, trim);
  const { logmel, frames } = (raw ? clipLogMel : clipTensor)(audio, trim.sampleRate, mel);
  return { id: name, ...clip, frames, shape: [mel.nMels, raw ? frames : mel.frames], logmel };
}
