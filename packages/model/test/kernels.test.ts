/**
 * Each kernel this package registers, against the untouched cpu backend: values and gradients on
 * small random shapes, including stride 2, 'valid' and 'same' padding, and the fallback cases.
 * Tolerance: 1e-4 relative (float32 sums in a different order; Winograd F(4×4, 3×3) on layer-sized
 * random data is ~2e-6 relative RMS from the direct convolution, worst element ~1e-5 of the largest).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchNormTrain, convBiasRelu } from '../src/forward.ts';
import { kernelCaller } from '../src/kernels/call.ts';
import { winogradConv2d, winogradFilterGrad, winogradOn } from '../src/kernels/winograd.ts';
import { expectClose, on, setupBackends, values } from './backends.ts';

const TOL = 1e-4;
let backends: string[] = [];
beforeAll(async () => {
  backends = await setupBackends();
});

async function compare(what: string, f: () => tf.Tensor | tf.Tensor[]) {
  const expected = await on('cpu', f);
  for (const b of backends) {
    const actual = await on(b, f);
    actual.forEach((a, i) => expectClose(a, expected[i], TOL, `${what} [${b}] output ${i}`));
  }
}

describe('Conv2DBackpropFilter and Conv2DBackpropInput (conv2d gradients)', () => {
  const cases: Array<{ x: number[]; f: number[]; stride: number; pad: 'same' | 'valid' }> = [
    { x: [2, 9, 8, 1], f: [3, 3, 1, 4], stride: 1, pad: 'same' }, // filter gradient: XNNPACK product
    { x: [2, 9, 8, 1], f: [3, 3, 1, 4], stride: 2, pad: 'valid' },
    { x: [3, 7, 9, 5], f: [3, 3, 5, 6], stride: 1, pad: 'same' }, // input gradient: flipped-filter conv
    { x: [3, 7, 9, 5], f: [3, 3, 5, 6], stride: 1, pad: 'valid' },
    { x: [2, 9, 10, 8], f: [3, 2, 8, 3], stride: 2, pad: 'same' }, // strided: input grad falls back
    { x: [2, 10, 9, 9], f: [2, 3, 9, 4], stride: 2, pad: 'valid' }, // unread rows are cropped
    // Co % 16 = 0: the filter gradient's product runs in SIMD on wasm (640 pixels: 256-row blocks and a rest).
    { x: [2, 20, 16, 2], f: [3, 3, 2, 16], stride: 1, pad: 'same' },
    { x: [3, 7, 9, 5], f: [3, 3, 5, 32], stride: 2, pad: 'valid' },
    // Winograd on wasm (3×3, stride 1, 'same', Ci % 4 = 0, Co % 16 = 0): 40 tiles of 4×4 = a full chunk
    // of 24 and a partial one starting mid-image; H and W not multiples of 4 (crop and pad); Ci = 16,
    // Co = 32 also takes the input gradient (a forward conv with Ci and Co swapped) through Winograd.
    { x: [2, 20, 16, 4], f: [3, 3, 4, 16], stride: 1, pad: 'same' },
    { x: [3, 7, 9, 8], f: [3, 3, 8, 32], stride: 1, pad: 'same' },
    { x: [2, 10, 13, 16], f: [3, 3, 16, 32], stride: 1, pad: 'same' },
    { x: [2, 10, 12, 16], f: [3, 3, 16, 32], stride: 1, pad: 'valid' }, // not 'same': XNNPACK
  ];
  for (const c of cases)
    it(`x ${c.x} filter ${c.f} stride ${c.stride} ${c.pad}`, async () => {
      const xv = values(tf.util.sizeFromShape(c.x), 1);
      const fv = values(tf.util.sizeFromShape(c.f), 2);
      await compare('conv2d grads', () => {
        const x = tf.tensor4d(xv, c.x as [number, number, number, number]);
        const filter = tf.tensor4d(fv, c.f as [number, number, number, number]);
        // A non-uniform upstream gradient: weight the outputs before summing.
        const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => {
          const y = tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad);
          return tf.sum(tf.mul(y, tf.tensor(values(y.size, 3), y.shape)));
        });
        return g([x, filter]);
      });
    });
});

describe('Winograd F(4×4, 3×3) on wasm, called directly (so a fallback cannot stand in for it)', () => {
  const cases: Array<{ x: number[]; Co: number }> = [
    { x: [2, 20, 16, 4], Co: 16 },
    { x: [3, 7, 9, 8], Co: 32 },
    { x: [1, 1, 1, 12], Co: 16 },
  ];
  for (const c of cases)
    it(`x ${c.x}, Co ${c.Co}: conv (linear, bias + relu) and filter gradient against cpu`, async () => {
      const f = [3, 3, c.x[3], c.Co] as [number, number, number, number];
      const xv = values(tf.util.sizeFromShape(c.x), 28);
      const fv = values(tf.util.sizeFromShape(f), 29);
      const bv = values(c.Co, 30);
      const dyv = values(c.x[0] * c.x[1] * c.x[2] * c.Co, 31);
      const dyShape = [c.x[0], c.x[1], c.x[2], c.Co] as [number, number, number, number];
      const expected = await on('cpu', () => {
        const x = tf.tensor4d(xv, c.x as [number, number, number, number]);
        const filter = tf.tensor4d(fv, f);
        return [
          tf.conv2d(x, filter, 1, 'same'),
          tf.relu(tf.add(tf.conv2d(x, filter, 1, 'same'), tf.tensor1d(bv))),
          tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x, a as tf.Tensor4D, 1, 'same'), tf.tensor4d(dyv, dyShape))))(filter),
        ];
      });
      await tf.setBackend('wasm');
      const backend = tf.backend();
      const w = winogradOn(backend, tf.backend_util.computeConv2DInfo(c.x as [number, number, number, number], f, 1, 1, 'same'));
      expect(w, 'Winograd applies on wasm').not.toBeNull();
      const k = kernelCaller(backend, 'wasm');
      const actual = tf.tidy(() => {
        const x = tf.tensor4d(xv, c.x as [number, number, number, number]);
        const filter = tf.tensor4d(fv, f);
        const run = (info: tf.TensorInfo) => tf.engine().makeTensorFromTensorInfo(info);
        return [
          run(winogradConv2d(k, w!, x, filter, null, false)),
          run(winogradConv2d(k, w!, x, filter, tf.tensor1d(bv), true)),
          run(winogradFilterGrad(k, w!, x, tf.tensor4d(dyv, dyShape))),
        ].map((t) => t.dataSync() as Float32Array);
      });
      actual.forEach((a, i) => expectClose(a, expected[i], TOL, `winograd output ${i}`));
    });
});

describe("Conv2D and FusedConv2D forward (Winograd where it applies, else the backend's own)", () => {
  const cases: Array<{ x: number[]; f: number[]; stride: number; pad: 'same' | 'valid'; activation: 'linear' | 'relu' | 'elu' }> = [
    { x: [2, 20, 16, 4], f: [3, 3, 4, 16], stride: 1, pad: 'same', activation: 'relu' },
    { x: [3, 7, 9, 8], f: [3, 3, 8, 32], stride: 1, pad: 'same', activation: 'linear' },
    { x: [3, 7, 9, 8], f: [3, 3, 8, 32], stride: 1, pad: 'same', activation: 'elu' }, // fallback: activation
    { x: [3, 8, 8, 8], f: [3, 3, 8, 32], stride: 2, pad: 'same', activation: 'relu' }, // fallback: stride
    { x: [3, 8, 8, 6], f: [3, 3, 6, 32], stride: 1, pad: 'same', activation: 'relu' }, // fallback: Ci % 4
  ];
  for (const c of cases)
    it(`x ${c.x} filter ${c.f} stride ${c.stride} ${c.pad} ${c.activation}`, async () => {
      const xv = values(tf.util.sizeFromShape(c.x), 32);
      const fv = values(tf.util.sizeFromShape(c.f), 33);
      const bv = values(c.f[3], 34);
      await compare('conv forward', () => {
        const x = tf.tensor4d(xv, c.x as [number, number, number, number]);
        const filter = tf.tensor4d(fv, c.f as [number, number, number, number]);
        return [
          tf.conv2d(x, filter, c.stride, c.pad),
          tf.fused.conv2d({ x, filter, strides: c.stride, pad: c.pad, bias: tf.tensor1d(bv), activation: c.activation }),
        ];
      });
    });
});

describe('convBiasRelu (FusedConv2D forward, SerReluBiasGrad backward)', () => {
  const cases: Array<{ x: number[]; f: number[]; stride: number; pad: 'same' | 'valid'; inputGrad: boolean }> = [
    { x: [2, 9, 8, 3], f: [3, 3, 3, 8], stride: 1, pad: 'same', inputGrad: true }, // SIMD ReLU mask on wasm
    { x: [2, 9, 8, 16], f: [3, 3, 16, 16], stride: 1, pad: 'same', inputGrad: true }, // Winograd on wasm
    { x: [1, 7, 7, 1], f: [3, 3, 1, 5], stride: 2, pad: 'valid', inputGrad: true }, // JS mask (45 outputs)
    { x: [2, 9, 8, 1], f: [3, 3, 1, 16], stride: 1, pad: 'same', inputGrad: false }, // first layer: no dx
  ];
  for (const c of cases)
    it(`x ${c.x} filter ${c.f} stride ${c.stride} ${c.pad}${c.inputGrad ? '' : ', no input gradient'}`, async () => {
      const xv = values(tf.util.sizeFromShape(c.x), 24);
      const fv = values(tf.util.sizeFromShape(c.f), 25);
      const bv = values(c.f[3], 26);
      await compare('conv + bias + relu', () => {
        const x = tf.tensor4d(xv, c.x as [number, number, number, number]);
        const conv = { strides: [c.stride, c.stride] as [number, number], pad: c.pad, dilations: [1, 1] as [number, number] };
        const y = convBiasRelu(x, tf.tensor4d(fv, c.f as [number, number, number, number]), tf.tensor1d(bv), conv, c.inputGrad);
        const w = tf.tensor(values(y.size, 27), y.shape);
        const loss = (...t: tf.Tensor[]) => {
          const [a, f, b] = c.inputGrad ? t : [x, ...t];
          return tf.sum(tf.mul(convBiasRelu(a as tf.Tensor4D, f as tf.Tensor4D, b as tf.Tensor1D, conv, c.inputGrad), w));
        };
        const params = [tf.tensor4d(fv, c.f as [number, number, number, number]), tf.tensor1d(bv)];
        return [y, ...tf.grads(loss)(c.inputGrad ? [x, ...params] : params)];
      });
    });
});

describe('MaxPoolGrad', () => {
  const cases: Array<{ x: number[]; size: number; stride: number; pad: 'same' | 'valid' }> = [
    { x: [2, 8, 8, 3], size: 2, stride: 2, pad: 'valid' }, // 2×2 pass, JS (C % 4 ≠ 0)
    { x: [2, 8, 6, 8], size: 2, stride: 2, pad: 'valid' }, // 2×2 pass, SIMD on wasm
    { x: [2, 7, 9, 4], size: 2, stride: 2, pad: 'valid' }, // 2×2 pass, a row and a column left over
    { x: [2, 7, 9, 3], size: 3, stride: 2, pad: 'same' },
    { x: [1, 6, 5, 2], size: 2, stride: 1, pad: 'valid' }, // overlapping windows
  ];
  for (const c of cases)
    it(`x ${c.x} pool ${c.size} stride ${c.stride} ${c.pad}, with ties`, async () => {
      // Quantised inputs: many windows hold equal maxima, so the first-maximum rule is tested.
      const xv = values(tf.util.sizeFromShape(c.x), 4, 4);
      await compare('maxPool grad', () => {
        const g = tf.grad((a: tf.Tensor) => {
          const y = tf.maxPool(a as tf.Tensor4D, c.size, c.stride, c.pad);
          return tf.sum(tf.mul(y, tf.tensor(values(y.size, 5), y.shape)));
        });
        return g(tf.tensor4d(xv, c.x as [number, number, number, number]));
      });
    });
});

describe('Sum and Mean', () => {
  const cases: Array<{ shape: number[]; axis: number[]; keepDims: boolean }> = [
    { shape: [3, 5, 4, 6], axis: [0, 1, 2], keepDims: false }, // leading: matrix product
    { shape: [3, 5, 4, 6], axis: [0], keepDims: true },
    { shape: [3, 5, 4, 6], axis: [2, 3], keepDims: false }, // trailing: loop
    { shape: [3, 5, 4, 6], axis: [1, 2], keepDims: true }, // middle: fallback
  ];
  for (const c of cases)
    it(`shape ${c.shape} axis ${c.axis} keepDims ${c.keepDims}`, async () => {
      const xv = values(tf.util.sizeFromShape(c.shape), 6);
      await compare('sum/mean', () => {
        const x = tf.tensor(xv, c.shape);
        const w = () => tf.tensor(values(tf.sum(x, c.axis, c.keepDims).size, 7), tf.sum(x, c.axis, c.keepDims).shape);
        const gs = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.sum(a, c.axis, c.keepDims), w())));
        const gm = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.mean(a, c.axis, c.keepDims), w())));
        return [tf.sum(x, c.axis, c.keepDims), tf.mean(x, c.axis, c.keepDims), gs(x), gm(x)];
      });
    });
});

describe('Tile', () => {
  const cases: Array<{ shape: number[]; reps: number[] }> = [
    { shape: [1, 1, 1, 5], reps: [2, 3, 4, 1] },
    { shape: [2, 3], reps: [3, 2] },
    { shape: [4], reps: [3] },
    { shape: [2, 1, 3], reps: [1, 4, 2] },
  ];
  for (const c of cases)
    it(`shape ${c.shape} reps ${c.reps}`, async () => {
      const xv = values(tf.util.sizeFromShape(c.shape), 8);
      await compare('tile', () => {
        const x = tf.tensor(xv, c.shape);
        const y = tf.tile(x, c.reps);
        const g = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.tile(a, c.reps), tf.tensor(values(y.size, 9), y.shape))));
        return [y, g(x)];
      });
    });
});

describe('SerBatchNormTrain / SerBatchNormTrainGrad (fused batch norm)', () => {
  for (const shape of [
    [4, 5, 3, 6], // C % 4 ≠ 0: JS loops on wasm too
    [7, 2],
    [3, 9, 7, 12], // SIMD on wasm: 189 rows = two full 64-row blocks and a partial one
    [5, 8],
    [16, 4096], // the default model's batch-normalised statistics-pooling features (one worker's share of a batch)
  ])
    it(`shape ${shape}: output, moments and gradients match tf.moments + tf.batchNorm on cpu`, async () => {
      const C = shape[shape.length - 1];
      // Channel means 0 … 15 against a standard deviation of about 0.9: the kernel's y = x·s + t (s, t folded
      // from γ, β and the moments) loses about |mean| / std · 2⁻²⁴ relative to (x − mean)·s, so the means stay
      // within ~20 standard deviations, as batch-norm inputs do.
      const xv = values(tf.util.sizeFromShape(shape), 10).map((v, i) => v * 3 + ((i % C) % 16));
      const gv = values(C, 11).map((v) => v + 1);
      const bv = values(C, 12);
      const wv = values(tf.util.sizeFromShape(shape), 13);
      const run = () => {
        const x = tf.tensor(xv, shape);
        const gamma = tf.tensor1d(gv);
        const beta = tf.tensor1d(bv);
        const kept: tf.Tensor[] = [];
        const f = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
          const r = batchNormTrain(a, g as tf.Tensor1D, b as tf.Tensor1D, 1e-3);
          kept.push(r.mean, r.variance);
          return tf.sum(tf.mul(r.y, tf.tensor(wv, shape)));
        };
        const grads = tf.grads(f)([x, gamma, beta]);
        const r = batchNormTrain(x, gamma, beta, 1e-3);
        const out = [r.y, r.mean.clone(), r.variance.clone(), ...grads];
        tf.dispose([...kept, r.mean, r.variance]);
        return out;
      };
      await compare('batch norm', run);
    });
});

describe('FusedBatchNorm (inference, given moments)', () => {
  const cases: Array<[number[], boolean]> = [
    [[3, 4, 5, 6], true],
    [[5, 4], false],
    [[3, 4, 5, 8], true],
  ];
  for (const [shape, withAffine] of cases)
    it(`shape ${shape}, scale and offset ${withAffine ? 'given' : 'absent'}`, async () => {
      const C = shape[shape.length - 1];
      const xv = values(tf.util.sizeFromShape(shape), 14);
      await compare('fused batch norm', () => {
        const x = tf.tensor(xv, [...shape]);
        const mean = tf.tensor1d(values(C, 15));
        const variance = tf.tensor1d(values(C, 16).map((v) => v + 0.6));
        const offset = withAffine ? tf.tensor1d(values(C, 17)) : undefined;
        const scale = withAffine ? tf.tensor1d(values(C, 18).map((v) => v + 1)) : undefined;
        const y = tf.batchNorm(x, mean, variance, offset, scale, 1e-3);
        if (!withAffine) return y; // tfjs's own FusedBatchNorm gradient needs a scale
        const g = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.batchNorm(a, mean, variance, offset, scale, 1e-3), tf.tensor(values(a.size, 19), a.shape))));
        return [y, g(x)];
      });
    });
  it('broadcast (non per-channel) statistics fall back', async () => {
    const xv = values(2 * 3 * 4, 20);
    await compare('fused batch norm fallback', () =>
      tf.batchNorm(
        tf.tensor(xv, [2, 3, 4]),
        tf.tensor(values(12, 21), [3, 4]),
        tf.tensor(
          values(12, 22).map((v) => v + 1),
          [3, 4],
        ),
      ),
    );
  });
});

describe('Identity (shared data)', () => {
  it('a clone has the same values and outlives its source, and the source outlives the clone', async () => {
    const xv = values(24, 23);
    for (const b of backends) {
      await tf.setBackend(b);
      const x = tf.tensor(xv, [2, 3, 4]);
      const c1 = x.clone();
      const c2 = tf.engine().runKernel('Identity', { x }) as tf.Tensor;
      c1.dispose();
      expectClose(x.dataSync() as Float32Array, xv, 0, `[${b}] source after disposing a clone`);
      x.dispose();
      expectClose(c2.dataSync() as Float32Array, xv, 0, `[${b}] clone after disposing the source`);
      expect(c2.shape).toEqual([2, 3, 4]);
      c2.dispose();
    }
  });
});
