/**
 * Conv2D and FusedConv2D: 3×3 / stride 1 / 'same' / NHWC convolutions with Ci % 4 = 0 and
 * Co % 16 = 0 (the model's second and third layers, forward and, through Conv2DBackpropInput, their
 * input gradients) by Winograd F(2×2, 3×3) on wasm (winograd.ts), with linear or ReLU activation.
 * Everything else goes to the backend's own kernel, passed in as `fallback`.
 */
import { backend_util, type Conv2DAttrs, type FusedConv2DAttrs, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import { kernelCaller } from './call.ts';
import { winogradConv2d, winogradOn } from './winograd.ts';

export function conv2dConfig(kernelName: 'Conv2D' | 'FusedConv2D', backendName: string, fallback: KernelFunc): KernelConfig {
  return {
    kernelName,
    backendName,
    kernelFunc: (args) => {
      const { inputs, backend, attrs } = args;
      const { x, filter, bias, preluActivationWeights } = inputs as {
        x: TensorInfo;
        filter: TensorInfo;
        bias?: TensorInfo;
        preluActivationWeights?: TensorInfo;
      };
      const { strides, pad, dataFormat, dilations, dimRoundingMode, activation } = attrs as unknown as FusedConv2DAttrs & Conv2DAttrs;
      const act = activation ?? 'linear';
      if (dataFormat === 'NCHW' || (act !== 'linear' && act !== 'relu') || preluActivationWeights) return fallback(args);
      if (bias && (bias.shape.length !== 1 || bias.shape[0] !== filter.shape[3])) return fallback(args);
      const conv = backend_util.computeConv2DInfo(
        x.shape as [number, number, number, number],
        filter.shape as [number, number, number, number],
        strides,
        dilations,
        pad,
        dimRoundingMode,
        false,
        'channelsLast',
      );
      const w = winogradOn(backend, conv);
      if (!w) return fallback(args);
      return winogradConv2d(kernelCaller(backend, backendName), w, x, filter, bias ?? null, act === 'relu');
    },
  };
}
