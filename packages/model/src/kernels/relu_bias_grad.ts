/**
 * The backward pass of y = relu(z + bias) over channels-last data, given dy and y, as two passes:
 * dz = dy·[y > 0] and dbias = Σ dz over all but the last axis. Through tfjs' own gradients this is
 * Step, Cast, Multiply and a Sum, four full-size passes (the first layer's activations are 33 MB).
 */
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import { floats, output } from './heap.ts';
import { passes } from './passes.ts';

export const RELU_BIAS_GRAD = 'SerReluBiasGrad';

/** inputs dy, y; outputs [dz, dbias]. */
export function reluBiasGradConfig(backendName: string): KernelConfig {
  return {
    kernelName: RELU_BIAS_GRAD,
    backendName,
    kernelFunc: ({ inputs, backend }) => {
      const { dy, y } = inputs as { dy: TensorInfo; y: TensorInfo };
      const C = y.shape[y.shape.length - 1];
      const ops = passes(backend);
      const dz = output(backend, y.shape, false);
      const dbias = output(backend, [C], false);
      ops.reluMask(dy, y, dz.info);
      const [sum] = ops.sums(dz.info, dz.info, new Float32Array(C), C);
      floats(backend, dbias.info).set(sum);
      return [dz.info, dbias.info];
    },
  };
}
