/**
 * Attentive statistics pooling: the values against a plain-JS float64 reference of Okabe et al.'s
 * equations (tolerance 1e-5 relative), values and gradients (w.r.t. the input and each of W, b, v)
 * on cpu-fast and wasm against the untouched cpu backend (1e-4 relative, the kernels' tolerance).
 * The layer inside a model: pooling-layers.test.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { attentionPooling } from '../src/layers/attention-pooling.ts';
import { expectClose, on, setupBackends, values } from './backends.ts';

const EPSILON = 1e-5;
let backends: string[] = [];
beforeAll(async () => {
  backends = await setupBackends();
});

/** e_t = vᵀ tanh(W h_t + b), α = softmax(e), μ = Σ α h, σ = √(max(Σ α h² − μ², 0) + ε); h_t band-major. */
function reference(x: Float32Array, [batch, bands, frames, channels]: number[], W: Float32Array, b: Float32Array, v: Float32Array): Float32Array {
  const features = bands * channels;
  const units = b.length;
  const out = new Float32Array(batch * features * 2);
  for (let n = 0; n < batch; n++) {
    const h = (t: number, f: number) => x[((n * bands + Math.floor(f / channels)) * frames + t) * channels + (f % channels)];
    const scores = Array.from({ length: frames }, (_, t) => {
      let e = 0;
      for (let u = 0; u < units; u++) {
        let z = b[u];
        for (let f = 0; f < features; f++) z += h(t, f) * W[f * units + u];
        e += Math.tanh(z) * v[u];
      }
      return e;
    });
    const top = Math.max(...scores);
    const exp = scores.map((e) => Math.exp(e - top));
    const total = exp.reduce((s, e) => s + e, 0);
    const alpha = exp.map((e) => e / total);
    for (let f = 0; f < features; f++) {
      let mean = 0;
      let square = 0;
      for (let t = 0; t < frames; t++) {
        mean += alpha[t] * h(t, f);
        square += alpha[t] * h(t, f) ** 2;
      }
      out[n * features * 2 + f] = mean;
      out[n * features * 2 + features + f] = Math.sqrt(Math.max(square - mean * mean, 0) + EPSILON);
    }
  }
  return out;
}

describe('attentionPooling', () => {
  const shapes: [number, number, number, number, number][] = [
    // batch, bands, frames, channels, units
    [2, 3, 5, 4, 6],
    [3, 2, 7, 8, 16],
    [1, 2, 1, 3, 4], // one frame: α = 1, σ = √ε, the gradient finite
  ];
  for (const [batch, bands, frames, channels, units] of shapes)
    it(`x ${[batch, bands, frames, channels]}, ${units} units: matches the reference, and its gradients on cpu-fast and wasm match cpu`, async () => {
      const shape = [batch, bands, frames, channels] as [number, number, number, number];
      const features = bands * channels;
      const [xv, wv, bv, vv] = [values(batch * features * frames, 21), values(features * units, 22), values(units, 23), values(units, 24)].map((a) =>
        a.map((z) => z * 2),
      );
      const inputs = () => [tf.tensor4d(xv, shape), tf.tensor2d(wv, [features, units]), tf.tensor1d(bv), tf.tensor2d(vv, [units, 1])] as const;
      const [y] = await on('cpu', () => attentionPooling(...inputs(), EPSILON));
      expectClose(y, reference(xv, shape, wv, bv, vv), 1e-5, 'values');

      const valueAndGrads = () => {
        const args = inputs();
        const weights = tf.tensor2d(values(batch * features * 2, 25), [batch, features * 2]);
        const f = (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor, v: tf.Tensor) =>
          tf.sum(tf.mul(attentionPooling(x as tf.Tensor4D, w as tf.Tensor2D, b as tf.Tensor1D, v as tf.Tensor2D, EPSILON), weights));
        const grads = tf.grads(f)([...args]);
        grads.forEach((g, i) => expect(g.shape).toEqual(args[i].shape));
        return [attentionPooling(...args, EPSILON), ...grads];
      };
      const expected = await on('cpu', valueAndGrads);
      for (const g of expected.slice(1)) expect(g.every(Number.isFinite)).toBe(true);
      // The weights get a gradient (frames > 1: moving α changes the statistics).
      if (frames > 1) expect(Math.max(...expected[2].map(Math.abs))).toBeGreaterThan(1e-4);
      for (const b of backends) (await on(b, valueAndGrads)).forEach((a, i) => expectClose(a, expected[i], 1e-4, `[${b}] output ${i}`));
    });
});
