/**
 * Batch normalisation in training mode as two fused kernels over NHWC (channels last), so a BN
 * layer costs two passes forward and two backward instead of ~20 full-size elementwise ops:
 *   forward:  μ, σ² = batch moments over all but the last axis; y = γ (x − μ) / √(σ² + ε) + β
 *   backward: dβ = Σ dy, dγ = Σ dy·x̂, dx = γ / (N √(σ² + ε)) · (N dy − dβ − x̂ dγ)
 * (Ioffe & Szegedy 2015, §3; the gradient through the batch statistics included). σ² is the biased
 * variance, as tf.moments and the tfjs-layers BatchNormalization layer use.
 */
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import { floats, output } from './heap.ts';

export const BATCH_NORM_TRAIN = 'SerBatchNormTrain';
export const BATCH_NORM_TRAIN_GRAD = 'SerBatchNormTrainGrad';

/** y[i, c] = x[i, c] · scale[c] + shift[c] over channels-last data. */
export function affinePerChannel(x: Float32Array, y: Float32Array, scale: Float32Array, shift: Float32Array): void {
  const C = scale.length;
  for (let i = 0; i < x.length; i += C) for (let c = 0; c < C; c++) y[i + c] = x[i + c] * scale[c] + shift[c];
}

/** inputs x, gamma, beta; attrs epsilon; outputs [y, mean, variance]. */
export function batchNormTrainConfig(backendName: string): KernelConfig {
  return {
    kernelName: BATCH_NORM_TRAIN,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, gamma, beta } = inputs as { x: TensorInfo; gamma: TensorInfo; beta: TensorInfo };
      const epsilon = attrs!.epsilon as number;
      const C = x.shape[x.shape.length - 1];
      const y = output(backend, x.shape);
      const mean = output(backend, [C]);
      const variance = output(backend, [C]);
      const xv = floats(backend, x);
      const yv = floats(backend, y.info);
      const g = floats(backend, gamma);
      const b = floats(backend, beta);
      const N = xv.length / C;
      const s1 = new Float64Array(C);
      const s2 = new Float64Array(C);
      for (let i = 0; i < xv.length; i += C)
        for (let c = 0; c < C; c++) {
          const v = xv[i + c];
          s1[c] += v;
          s2[c] += v * v;
        }
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
      affinePerChannel(xv, yv, scale, shift);
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
      const dx = output(backend, x.shape);
      const dgamma = output(backend, [C]);
      const dbeta = output(backend, [C]);
      const dyv = floats(backend, dy);
      const xv = floats(backend, x);
      const mv = floats(backend, mean);
      const vv = floats(backend, variance);
      const g = floats(backend, gamma);
      const N = xv.length / C;
      const inv = new Float32Array(C);
      for (let c = 0; c < C; c++) inv[c] = 1 / Math.sqrt(vv[c] + epsilon);
      // Σdy and Σdy·(x − μ); the inv factor of x̂ is applied per channel afterwards.
      const sumDy = new Float64Array(C);
      const sumDyXc = new Float64Array(C);
      for (let i = 0; i < xv.length; i += C)
        for (let c = 0; c < C; c++) {
          const d = dyv[i + c];
          sumDy[c] += d;
          sumDyXc[c] += d * (xv[i + c] - mv[c]);
        }
      const dgv = floats(backend, dgamma.info);
      const dbv = floats(backend, dbeta.info);
      const k = new Float32Array(C);
      const a = new Float32Array(C);
      const bb = new Float32Array(C);
      for (let c = 0; c < C; c++) {
        const sumDyXhat = sumDyXc[c] * inv[c];
        dgv[c] = sumDyXhat;
        dbv[c] = sumDy[c];
        // dx = k·dy − k·Σdy/N − k·Σ(dy·x̂)/N · x̂ with k = γ·inv and x̂ = (x − μ)·inv, rearranged as
        // dx = k·dy − b·x − a with b = k·Σ(dy·x̂)·inv/N and a = k·Σdy/N − b·μ.
        k[c] = g[c] * inv[c];
        bb[c] = ((k[c] * sumDyXhat) / N) * inv[c];
        a[c] = (k[c] * sumDy[c]) / N - bb[c] * mv[c];
      }
      const dxv = floats(backend, dx.info);
      for (let i = 0; i < xv.length; i += C) for (let c = 0; c < C; c++) dxv[i + c] = k[c] * dyv[i + c] - bb[c] * xv[i + c] - a[c];
      return [dx.info, dgamma.info, dbeta.info];
    },
  };
}
