/**
 * Registers this package's kernels on a backend: the missing Conv2DBackpropFilter and fast
 * formulations of the backward-pass kernels (each in its own module, each tested against cpu).
 * Each kernel keeps the backend's own version as the fallback for cases it doesn't cover.
 */
import { getKernel, registerKernel, unregisterKernel, type KernelConfig, type KernelFunc } from '@tensorflow/tfjs';
import { batchNormTrainConfig, batchNormTrainGradConfig } from './batch_norm_train.ts';
import { conv2dConfig } from './conv2d.ts';
import { conv2dBackpropFilterConfig } from './conv2d_backprop_filter.ts';
import { conv2dBackpropInputConfig } from './conv2d_backprop_input.ts';
import { fusedBatchNormConfig } from './fused_batch_norm.ts';
import { identityConfig } from './identity.ts';
import { maxPoolGradConfig } from './max_pool_grad.ts';
import { reduceConfig } from './reduce.ts';
import { reluBiasGradConfig } from './relu_bias_grad.ts';
import { tileConfig } from './tile.ts';

const registered = new Set<string>();

function own(name: string, backendName: string): KernelFunc {
  const config = getKernel(name, backendName);
  if (!config) throw new Error(`backend '${backendName}' has no '${name}' kernel to fall back on`);
  return config.kernelFunc;
}

/** The kernels this package installs on `backendName`, built over the backend's current ones. */
export function fastKernels(backendName: string): KernelConfig[] {
  return [
    conv2dConfig('Conv2D', backendName, own('Conv2D', backendName)),
    conv2dConfig('FusedConv2D', backendName, own('FusedConv2D', backendName)),
    conv2dBackpropFilterConfig(backendName),
    conv2dBackpropInputConfig(backendName, own('Conv2DBackpropInput', backendName)),
    maxPoolGradConfig(backendName, own('MaxPoolGrad', backendName)),
    reduceConfig('Sum', backendName, own('Sum', backendName)),
    reduceConfig('Mean', backendName, own('Mean', backendName)),
    tileConfig(backendName, own('Tile', backendName)),
    fusedBatchNormConfig(backendName, own('FusedBatchNorm', backendName)),
    identityConfig(backendName, own('Identity', backendName)),
    batchNormTrainConfig(backendName),
    batchNormTrainGradConfig(backendName),
    reluBiasGradConfig(backendName),
  ];
}

/** Idempotent: the first call per backend name installs the kernels (wasm and cpu-like backends). */
export function registerFastKernels(backendName: string): void {
  if (registered.has(backendName)) return;
  registered.add(backendName);
  for (const config of fastKernels(backendName)) {
    if (getKernel(config.kernelName, backendName)) unregisterKernel(config.kernelName, backendName);
    registerKernel(config);
  }
}
