/**
 * The backward pass of y = relu(z + bias) over channels-last data, given dy and y, as two passes:
 * dz = dy·[y > 0] and dbias = Σ dz over all but the last axis. Through tfjs' own gradients this is
 * Step, Cast, Multiply and a Sum, four full-size passes (the first layer's activations are 33 MB).
 * The mask is relu_bias_grad.wat (SIMD) on the wasm backend, a JS loop elsewhere; the sum is a
 * channel pass (channel_passes.ts).
 */
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import { channelPasses } from './channel_passes.ts';
import { floats, heapModule, heapOffset, output } from './heap.ts';
import reluBiasGradWasm from './relu_bias_grad.wat';

export const RELU_BIAS_GRAD = 'SerReluBiasGrad';

/** inputs dy, y; outputs [dz, dbias]. */
export function reluBiasGradConfig(backendName: string): KernelConfig {
  return {
    kernelName: RELU_BIAS_GRAD,
    backendName,
    kernelFunc: ({ inputs, backend }) => {
      const { dy, y } = inputs as { dy: TensorInfo; y: TensorInfo };
      const C = y.shape[y.shape.length - 1];
      const dz = output(backend, y.shape, false);
      const dbias = output(backend, [C], false);
      reluMask(backend, dy, y, dz.info);
      const [sum] = channelPasses(backend).sums(dz.info, dz.info, new Float32Array(C), C);
      floats(backend, dbias.info).set(sum);
      return [dz.info, dbias.info];
    },
  };
}

const simdModule = heapModule<{ reluMask(dy: number, y: number, dz: number, bytes: number): void }>(reluBiasGradWasm);

/** dz = dy where y > 0, else 0 (the ReLU gradient given the ReLU's output y). */
function reluMask(backend: object, dy: TensorInfo, y: TensorInfo, dz: TensorInfo): void {
  const n = dy.shape.reduce((p, d) => p * d, 1);
  const simd = simdModule.on(backend);
  if (simd && n % 4 === 0) {
    const ptr = (info: TensorInfo) => heapOffset(simd.backend, info);
    simd.exports.reluMask(ptr(dy), ptr(y), ptr(dz), 4 * n);
    return;
  }
  const g = floats(backend, dy);
  const yv = floats(backend, y);
  const out = floats(backend, dz);
  for (let i = 0; i < g.length; i++) out[i] = yv[i] > 0 ? g[i] : 0;
}
