/** A model's weights as one flat Float32Array (model.weights order), the unit that moves between threads. */
import * as tf from '@tensorflow/tfjs';
import type { TrainableRun } from './adam.ts';

export interface WeightLayout {
  shapes: number[][];
  offsets: number[];
  trainable: boolean[];
  /** Total floats. */
  size: number;
  /** Floats of the trainable weights (they come first in gradient vectors, in model.weights order). */
  trainableSize: number;
}

export function weightLayout(model: tf.LayersModel): WeightLayout {
  const shapes = model.weights.map((w) => w.shape as number[]);
  const trainable = model.weights.map((w) => w.trainable);
  const offsets: number[] = [];
  let size = 0;
  let trainableSize = 0;
  shapes.forEach((s, i) => {
    offsets.push(size);
    const n = tf.util.sizeFromShape(s);
    size += n;
    if (trainable[i]) trainableSize += n;
  });
  return { shapes, offsets, trainable, size, trainableSize };
}

export function getFlatWeights(model: tf.LayersModel): Float32Array {
  const layout = weightLayout(model);
  const out = new Float32Array(layout.size);
  model.weights.forEach((w, i) => out.set(w.read().dataSync() as Float32Array, layout.offsets[i]));
  return out;
}

export function setFlatWeights(model: tf.LayersModel, flat: Float32Array): void {
  const layout = weightLayout(model);
  if (flat.length !== layout.size) throw new Error(`setFlatWeights: ${flat.length} floats for a model of ${layout.size}`);
  const tensors = layout.shapes.map((s, i) => tf.tensor(flat.subarray(layout.offsets[i], layout.offsets[i] + tf.util.sizeFromShape(s)), s));
  model.setWeights(tensors);
  tf.dispose(tensors);
}

/**
 * Positions of the trainable weights inside the flat vector. Weight decay applies to kernels (rank ≥ 2),
 * not to biases or batch-norm scales and offsets (rank 1), as is usual for AdamW.
 */
export function trainableRuns(layout: WeightLayout): TrainableRun[] {
  return layout.shapes.flatMap((s, i) => (layout.trainable[i] ? [{ offset: layout.offsets[i], length: tf.util.sizeFromShape(s), decay: s.length >= 2 }] : []));
}
