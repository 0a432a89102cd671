/** A small separable dataset: class c brightens a class-specific band of a noisy [H, W] image. */
import { trainParams, type TrainParams } from '../src/params.ts';
import { Rng } from '../src/rng.ts';
import type { TrainData } from '../src/train.ts';

export const SHAPE: [number, number] = [16, 16];
export const CLASSES = 3;

export function synthetic(rows: number, seed: number): TrainData {
  const [H, W] = SHAPE;
  const rng = new Rng(seed);
  const x = new Float32Array(rows * H * W);
  const labels = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const c = Math.floor(rng.next() * CLASSES);
    labels[i] = c;
    for (let h = 0; h < H; h++)
      for (let w = 0; w < W; w++) {
        const band = Math.floor((h * CLASSES) / H) === c ? 1 : 0;
        x[(i * H + h) * W + w] = rng.next() - 0.5 + band;
      }
  }
  return { x, labels };
}

export function tinyParams(overrides: Partial<TrainParams> = {}): TrainParams {
  return trainParams.parse({
    // The mechanics under test, not the default recipe: plateau schedule, best weights restored.
    preset: 'seed-cnn',
    backend: 'wasm',
    seed: 7,
    // Small batches: enough steps for the batch-norm moving averages (momentum 0.99) to settle.
    epochs: 8,
    batchSize: 8,
    learningRate: 3e-3,
    filters: [4, 8],
    denseUnits: 16,
    convDropout: 0.1,
    denseDropout: 0.1,
    patience: 0,
    workers: 2,
    // SpecAugment scaled to the 16×16 tensors (the defaults mask up to 16 bands and 16 frames of 128).
    specAugment: { freqMasks: 1, freqWidth: 3, timeMasks: 1, timeWidth: 3 },
    ...overrides,
  });
}
