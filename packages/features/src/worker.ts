/** Worker-pool side of the trim and mel stages: file I/O around the pure functions of extract.ts. */
import { readFileSync } from 'node:fs';
import type { MelParams, TrimParams } from './params.ts';
import { clipTensor, loadTrimmed, type TrimmedClip } from './extract.ts';

/** Read, decode, resample and trim one file (errors name the path). */
export function trimFile(path: string, params: TrimParams): Promise<TrimmedClip> {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new Error(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { cause: e });
  }
  return loadTrimmed(bytes, path, params);
}

export interface MelBatch {
  /** Fixed-size tensors, clip after clip: [clips][nMels][params.frames]. */
  logmel: Float32Array;
  /** Real frames of each clip before padding. */
  frames: Int32Array;
}

/** Log-Mel tensors of several clips (concatenated audio + offsets) in one message. */
export function melBatch(audio: Float32Array, offsets: Int32Array, sampleRate: number, params: MelParams): MelBatch {
  const clips = offsets.length - 1;
  const size = params.nMels * params.frames;
  const logmel = new Float32Array(clips * size);
  const frames = new Int32Array(clips);
  for (let i = 0; i < clips; i++) {
    const t = clipTensor(audio.subarray(offsets[i], offsets[i + 1]), sampleRate, params);
    logmel.set(t.logmel, i * size);
    frames[i] = t.frames;
  }
  return { logmel, frames };
}
