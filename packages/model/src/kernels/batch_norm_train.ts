/**
 * Batch normalisation in training mode as two fused kernels over NHWC (channels last), so a BN
 * layer costs two passes forward and two backward instead of ~20 full-size elementwise ops:
 *   forward:  μ, σ² = batch moments over all but the last axis; y = γ (x − μ) / √(σ² + ε) + β
 *   backward: dβ = Σ dy, dγ = Σ dy·x̂, dx = γ / (N √(σ² + ε)) · (N dy − dβ − x̂ dγ)
 * (Ioffe & Szegedy 2015, §3; the gradient through the batch statistics included). σ² is the biased
 * variance, as tf.moments and the tfjs-layers BatchNormalization layer use. The passes are
 * channel_passes.ts (SIMD on the wasm backend).
 */
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import { channelPasses } from './channel_passes.ts';
import { floats, output } from './heap.ts';

export const BATCH_NORM_TRAIN = 'SerBatchNormTrain';
export const BATCH_NORM_TRAIN_GRAD = 'SerBatchNormTrainGrad';

/** inputs x, gamma, beta; attrs epsilon; outputs [y, mean, variance]. */
export function batchNormTrainConfig(backendName: string): KernelConfig {
  return {
    kernelName: BATCH_NORM_TRAIN,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, gamma, beta } = inputs as { x: TensorInfo; gamma: TensorInfo; beta: TensorInfo };
      const epsilon = attrs!.epsilon as number;
      const C = x.shape[x.shape.length - 1];
      const ops = channelPasses(backend);
      const y = output(backend, x.shape);
      const mean = output(backend, [C]);
      const variance = output(backend, [C]);
      const N = x.shape.reduce((a, b) => a * b, 1) / C;
      const [s1, s2] = ops.sums(x, x, new Float32Array(C), C);
      // Views after every allocation: a growing wasm heap detaches earlier ones.
      const g = floats(backend, gamma);
      const b = floats(backend, beta);
      const mv = floats(backend, mean.info);
      const vv = floats(backend, variance.info);
      const scale = new Float32Array(C);
      const shift = new Float32Array(C);
      for (let c = 0; c < C; c++) {
        const m = s1[c] / N;
        const v = Math.max(0, s2[c] / N - m * m);
        mv[c] = m;
        vv[c] = v;
        scale[c] = g[c] / Math.sqrt(v + epsilon);
        shift[c] = b[c] - m * scale[c];
      }
      ops.affine(x, y.info, scale, shift);
      return [y.info, mean.info, variance.info];
    },
  };
}

/** inputs dy, x, mean, variance, gamma; attrs epsilon; outputs [dx, dgamma, dbeta]. */
export function batchNormTrainGradConfig(backendName: string): KernelConfig {
  return {
    kernelName: BATCH_NORM_TRAIN_GRAD,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { dy, x, mean, variance, gamma } = inputs as Record<string, TensorInfo>;
      const epsilon = attrs!.epsilon as number;
      const C = x.shape[x.shape.length - 1];
      const ops = channelPasses(backend);
      const dx = output(backend, x.shape);
      const dgamma = output(backend, [C]);
      const dbeta = output(backend, [C]);
      const N = x.shape.reduce((a, b) => a * b, 1) / C;
      // Σdy and Σdy·(x − μ); the inv factor of x̂ is applied per channel afterwards.
      const [sumDy, sumDyXc] = ops.sums(dy, x, floats(backend, mean).slice(), C);
      const mv = floats(backend, mean);
      const vv = floats(backend, variance);
      const g = floats(backend, gamma);
      const dgv = floats(backend, dgamma.info);
      const dbv = floats(backend, dbeta.info);
      const k = new Float32Array(C);
      const a = new Float32Array(C);
      const bb = new Float32Array(C);
      for (let c = 0; c < C; c++) {
        const inv = 1 / Math.sqrt(vv[c] + epsilon);
        const sumDyXhat = sumDyXc[c] * inv;
        dgv[c] = sumDyXhat;
        dbv[c] = sumDy[c];
        // dx = k·dy − k·Σdy/N − k·Σ(dy·x̂)/N · x̂ with k = γ·inv and x̂ = (x − μ)·inv, rearranged as
        // dx = k·dy − b·x − a with b = k·Σ(dy·x̂)·inv/N and a = k·Σdy/N − b·μ.
        k[c] = g[c] * inv;
        bb[c] = ((k[c] * sumDyXhat) / N) * inv;
        a[c] = (k[c] * sumDy[c]) / N - bb[c] * mv[c];
      }
      ops.scaleSub(dy, x, dx.info, k, bb, a);
      return [dx.info, dgamma.info, dbeta.info];
    },
  };
}
