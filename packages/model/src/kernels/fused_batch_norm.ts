/**
 * FusedBatchNorm (inference: given mean and variance) over channels-last data as one pass,
 * y = x·scale' + shift' with scale' = scale/√(var + ε), shift' = offset − mean·scale'.
 * The wasm version recomputes indices per element; this is the affine channel pass (channel_passes.ts, SIMD).
 * Per-channel (rank-1, last-axis) statistics of float32 data only; other shapes use `fallback`.
 */
import { FusedBatchNorm, type FusedBatchNormAttrs, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import { channelPasses } from './channel_passes.ts';
import { floats, output } from './heap.ts';

export function fusedBatchNormConfig(backendName: string, fallback: KernelFunc): KernelConfig {
  return {
    kernelName: FusedBatchNorm,
    backendName,
    kernelFunc: (args) => {
      const { inputs, backend, attrs } = args;
      const { x, mean, variance, offset, scale } = inputs as Record<string, TensorInfo | undefined>;
      const C = x!.shape[x!.shape.length - 1];
      const perChannel = [mean, variance, offset, scale].every((t) => t == null || (t.shape.length === 1 && t.shape[0] === C && t.dtype === 'float32'));
      if (x!.dtype !== 'float32' || !perChannel) return fallback(args);
      const { varianceEpsilon } = attrs as unknown as FusedBatchNormAttrs;
      const { info } = output(backend, x!.shape);
      const m = floats(backend, mean!);
      const v = floats(backend, variance!);
      const o = offset ? floats(backend, offset) : null;
      const g = scale ? floats(backend, scale) : null;
      const k = new Float32Array(C);
      const b = new Float32Array(C);
      for (let c = 0; c < C; c++) {
        k[c] = (g ? g[c] : 1) / Math.sqrt(v[c] + varianceEpsilon);
        b[c] = (o ? o[c] : 0) - m[c] * k[c];
      }
      channelPasses(backend).affine(x!, info, k, b);
      return info;
    },
  };
}
