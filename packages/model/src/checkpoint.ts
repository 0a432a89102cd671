/**
 * Training checkpoints in a folder: checkpoint.bin holds the float vectors (weights, best weights,
 * Adam m and v), checkpoint.json the rest. Each file is written to a temporary name and renamed, and
 * the JSON (written last) names the byte length of the binary, so a run killed mid-write resumes from
 * the previous complete epoch.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Checkpoint, CheckpointStore } from './train.ts';

type Meta = Omit<Checkpoint, 'weights' | 'best' | 'adam' | 'bestValLoss'> & {
  adamStep: number;
  /** Floats per stored vector (the weights' length; Adam's vectors are padded to it). */
  floats: number;
  adamFloats: number;
  /** null while no epoch has been kept (Infinity) or without validation (NaN); JSON has neither. */
  bestValLoss: number | null;
};

async function writeAtomic(path: string, bytes: Uint8Array | string): Promise<void> {
  await writeFile(`${path}.tmp`, bytes);
  await rename(`${path}.tmp`, path);
}

export function folderCheckpointStore(dir: string): CheckpointStore {
  const bin = join(dir, 'checkpoint.bin');
  const meta = join(dir, 'checkpoint.json');
  return {
    async load() {
      let m: Meta;
      let bytes: Buffer;
      try {
        m = JSON.parse(await readFile(meta, 'utf8')) as Meta;
        bytes = await readFile(bin);
      } catch {
        return null;
      }
      if (bytes.byteLength !== m.floats * 4 * 4) return null;
      const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
      const part = (i: number) => all.slice(i * m.floats, (i + 1) * m.floats);
      const { adamStep, floats: _floats, adamFloats, bestValLoss, ...rest } = m;
      return {
        ...rest,
        bestValLoss: bestValLoss ?? Infinity,
        weights: part(0),
        best: part(1),
        adam: { step: adamStep, m: part(2).subarray(0, adamFloats), v: part(3).subarray(0, adamFloats) },
        // JSON turns NaN into null.
        epochs: rest.epochs.map((e) => ({ ...e, valLoss: e.valLoss ?? NaN, valAccuracy: e.valAccuracy ?? NaN })),
      };
    },
    async save(c) {
      await mkdir(dir, { recursive: true });
      const n = c.weights.length;
      const all = new Float32Array(4 * n);
      all.set(c.weights, 0);
      all.set(c.best, n);
      all.set(c.adam.m, 2 * n);
      all.set(c.adam.v, 3 * n);
      await writeAtomic(bin, new Uint8Array(all.buffer));
      const { weights: _w, best: _b, adam, ...rest } = c;
      const m: Meta = {
        ...rest,
        bestValLoss: Number.isFinite(c.bestValLoss) ? c.bestValLoss : null,
        adamStep: adam.step,
        floats: n,
        adamFloats: adam.m.length,
      };
      await writeAtomic(meta, JSON.stringify(m));
    },
  };
}
