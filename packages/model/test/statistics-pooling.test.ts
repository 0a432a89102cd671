/**
 * Statistics pooling: the values against a plain-JS reference (mean and population standard
 * deviation over frames, float64; tolerance 1e-5 relative), values and gradients on cpu-fast and
 * wasm against the untouched cpu backend (1e-4 relative, the kernels' tolerance). The layer inside
 * a model: pooling-layers.test.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { statisticsPooling } from '../src/layers/statistics-pooling.ts';
import { expectClose, on, setupBackends, values } from './backends.ts';

const EPSILON = 1e-5;
let backends: string[] = [];
beforeAll(async () => {
  backends = await setupBackends();
});

/** [batch, bands, frames, channels] → per (batch, band): channel means, then channel stds. */
function reference(x: Float32Array, [batch, bands, frames, channels]: number[]): Float32Array {
  const out = new Float32Array(batch * bands * channels * 2);
  for (let n = 0; n < batch; n++)
    for (let h = 0; h < bands; h++)
      for (let c = 0; c < channels; c++) {
        const at = (t: number) => x[((n * bands + h) * frames + t) * channels + c];
        let sum = 0;
        for (let t = 0; t < frames; t++) sum += at(t);
        const mean = sum / frames;
        let sq = 0;
        for (let t = 0; t < frames; t++) sq += (at(t) - mean) ** 2;
        const base = (n * bands + h) * channels * 2;
        out[base + c] = mean;
        out[base + channels + c] = Math.sqrt(sq / frames + EPSILON);
      }
  return out;
}

describe('statisticsPooling', () => {
  const shapes: [number, number, number, number][] = [
    [2, 3, 5, 4],
    [3, 4, 7, 16],
    [1, 2, 1, 3], // one frame: std is √ε, the gradient finite
  ];
  for (const shape of shapes)
    it(`x ${shape}: matches the reference, and its gradient on cpu-fast and wasm matches cpu`, async () => {
      const xv = values(tf.util.sizeFromShape(shape), 11);
      const [y] = await on('cpu', () => statisticsPooling(tf.tensor4d(xv, shape), EPSILON));
      expectClose(y, reference(xv, shape), 1e-5, 'values');

      const valueAndGrad = () => {
        const x = tf.tensor4d(xv, shape);
        const weights = tf.tensor2d(values(shape[0] * shape[1] * shape[3] * 2, 12), [shape[0], shape[1] * shape[3] * 2]);
        const grad = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(statisticsPooling(a as tf.Tensor4D, EPSILON), weights)))(x);
        expect(grad.shape).toEqual(shape);
        return [statisticsPooling(x, EPSILON), grad];
      };
      const expected = await on('cpu', valueAndGrad);
      expect(expected[1].every(Number.isFinite)).toBe(true);
      for (const b of backends) (await on(b, valueAndGrad)).forEach((a, i) => expectClose(a, expected[i], 1e-4, `[${b}] output ${i}`));
    });
});
