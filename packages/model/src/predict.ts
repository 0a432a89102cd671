import * as tf from '@tensorflow/tfjs';
import { applyStandardization, type Standardization } from './standardize.ts';

/** Clips per forward pass: bounds the activations held at once (32 × 128 × 128 × 32 floats ≈ 64 MB). */
const BATCH = 32;

/**
 * Class probabilities, row-major [count, classes], for `count` raw log-Mel tensors of `shape`
 * ([nMels, frames], row-major, as the mel stage writes them), standardised as in training;
 * `speakers` (one per tensor) for a model standardised by speaker (none: each tensor by its own statistics).
 */
export function predictProbabilities(
  model: tf.LayersModel,
  standardization: Standardization,
  logmel: Float32Array,
  count: number,
  shape: [number, number] = [128, 128],
  speakers?: ArrayLike<string>,
): Float32Array {
  const x = applyStandardization(standardization, logmel, count, shape, speakers);
  const size = shape[0] * shape[1];
  const outputs = model.outputs[0].shape;
  const classes = outputs[outputs.length - 1] as number;
  const out = new Float32Array(count * classes);
  for (let start = 0; start < count; start += BATCH) {
    const n = Math.min(BATCH, count - start);
    const p = tf.tidy(() => model.predict(tf.tensor4d(x.subarray(start * size, (start + n) * size), [n, shape[0], shape[1], 1])) as tf.Tensor);
    out.set(p.dataSync() as Float32Array, start * classes);
    p.dispose();
  }
  return out;
}
